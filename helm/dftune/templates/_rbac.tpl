{{/*
What the operator does in the namespaces it watches: the rules its build generates
(operator/target/kubernetes/kubernetes.yml, from its controller, dependents and @RBACRule
annotations). RbacTest fails when these and the generated ones differ.
*/}}
{{- define "dftune.operatorRules" -}}
- apiGroups: [dftune.io]
  resources: [finetunejobs, finetunejobs/status, finetunejobs/finalizers]
  verbs: [get, list, watch, patch, update, create, delete]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [create, delete, get, list, patch, update, watch]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, delete, get, list, patch, watch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, delete, get, list, watch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end -}}


{{/* The operator's ServiceAccount as the subject of its bindings. */}}
{{- define "dftune.operatorSubject" -}}
- kind: ServiceAccount
  name: {{ include "dftune.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end -}}
