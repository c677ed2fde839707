// Validates every document of a multi-document YAML file (helm template's output) against the
// Kubernetes JSON schema of its apiVersion and kind, offline, with the npm package
// kubernetes-models (built-in kinds) and @kubernetes-models/prometheus-operator
// (ServiceMonitor, PodMonitor, PrometheusRule).
//
//   node validate-manifests.mjs NODE_MODULES_DIR MANIFESTS.yaml
//
// Prints one JSON line per document: {"apiVersion", "kind", "name", "errors": [...]}. A kind
// without a model is an error, so nothing passes unchecked.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, manifests] = process.argv.slice(2);
const yaml = await import(pathToFileURL(join(modules, "js-yaml", "dist", "js-yaml.mjs")));

function modelFile(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const candidates = group === ""
    ? [join(modules, "kubernetes-models", version, `${kind}.js`)]
    : [join(modules, "kubernetes-models", group, version, `${kind}.js`),
       join(modules, "@kubernetes-models", "prometheus-operator", group, version, `${kind}.js`)];
  return candidates.find(existsSync);
}

for (const doc of yaml.loadAll(readFileSync(manifests, "utf8"))) {
  if (doc === null || doc === undefined) continue;
  const result = { apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata?.name, errors: [] };
  const file = doc.apiVersion && doc.kind ? modelFile(doc.apiVersion, doc.kind) : undefined;
  if (!file) {
    result.errors.push(`no schema for ${doc.apiVersion} ${doc.kind}`);
  } else {
    const Model = (await import(pathToFileURL(file)))[doc.kind];
    try {
      new Model(doc).validate();
    } catch (e) {
      result.errors.push(e.errors ? JSON.stringify(e.errors) : String(e.message ?? e));
    }
  }
  console.log(JSON.stringify(result));
}
