{{/*
What the operator does in the namespaces it watches: exactly the kinds and verbs it uses
(RbacTest compares them with the operator's own generated RBAC).
*/}}
{{- define "dftune.operatorRules" -}}
- apiGroups: [dftune.io]
  resources: [finetunejobs]
  verbs: [get, list, watch, patch, update, delete]
- apiGroups: [dftune.io]
  resources: [finetunejobs/status]
  verbs: [get, patch, update]
- apiGroups: [dftune.io]
  resources: [finetunejobs/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, secrets, services]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end -}}
