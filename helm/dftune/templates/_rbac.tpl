{{/*
What the operator does in the namespaces it watches: the rules its build generates
(operator/target/kubernetes/kubernetes.yml, declared in operator/src/main/resources/application.properties;
the operator's tests check them against the API requests it makes). RbacTest fails when these and
the generated ones differ.
*/}}
{{- define "dftune.operatorRules" -}}
- apiGroups: [dftune.io]
  resources: [finetunejobs]
  verbs: [get, list, watch, patch, delete]
- apiGroups: [dftune.io]
  resources: [finetunejobs/status]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [list, watch, create, update, delete]
- apiGroups: [""]
  resources: [secrets]
  verbs: [list, watch, create, delete]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [list, watch, create, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}


{{/*
Leader election (more than one replica): the verbs on Leases of the operator's build (its Role
dftune-operator-leader-election). get/create/patch are Fabric8's LeaseLock; update is what the Java
Operator SDK checks it may do before it elects.
*/}}
{{- define "dftune.leaderElectionRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, create, update, patch]
{{- end -}}

{{/* The operator's ServiceAccount as the subject of its bindings. */}}
{{- define "dftune.operatorSubject" -}}
- kind: ServiceAccount
  name: {{ include "dftune.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end -}}
