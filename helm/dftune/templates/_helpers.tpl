{{/* The release's full name, used for every object the chart creates. */}}
{{- define "dftune.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dftune.operatorName" -}}
{{- printf "%s-operator" (include "dftune.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "dftune.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: dftune
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selects the operator's pods (the operator contract: app.kubernetes.io/name: dftune-operator). */}}
{{- define "dftune.operatorSelectorLabels" -}}
app.kubernetes.io/name: dftune-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selects the trainer pods the operator creates. */}}
{{- define "dftune.trainerSelectorLabels" -}}
app.kubernetes.io/name: dftune-trainer
app.kubernetes.io/managed-by: dftune-operator
{{- end -}}

{{- define "dftune.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dftune.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "dftune.operatorImage" -}}
{{- printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) -}}
{{- end -}}

{{- define "dftune.trainerImage" -}}
{{- $tag := .Values.trainer.image.tag -}}
{{- if not $tag -}}
{{- $tag = ternary (printf "%s-cuda" .Chart.AppVersion) .Chart.AppVersion (eq .Values.trainer.image.variant "cuda") -}}
{{- end -}}
{{- printf "%s:%s" .Values.trainer.image.repository $tag -}}
{{- end -}}

{{/* The Quarkus operator SDK's namespaces setting: every namespace, or the listed ones. */}}
{{- define "dftune.watchNamespacesSetting" -}}
{{- if .Values.watchNamespaces -}}
{{- join "," .Values.watchNamespaces -}}
{{- else -}}
JOSDK_ALL_NAMESPACES
{{- end -}}
{{- end -}}

{{/* Namespaces that get the trainer NetworkPolicy, one per line. */}}
{{- define "dftune.networkPolicyNamespaces" -}}
{{- $namespaces := .Values.networkPolicy.namespaces | default .Values.watchNamespaces | default (list .Release.Namespace) -}}
{{- range $namespaces }}
{{ . }}
{{- end -}}
{{- end -}}

{{/* For Prometheus' kubernetes_sd role pod/service relabelling convention (no Prometheus Operator). */}}
{{- define "dftune.scrapeAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/port: "8080"
prometheus.io/path: /q/metrics
{{- end -}}

{{/* Pod-level security context of the restricted Pod Security Standard; UID/GID 1000 as in images/. */}}
{{- define "dftune.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "dftune.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* "true" when the operator pods elect a leader: always with more than one, or when asked. */}}
{{- define "dftune.leaderElection" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.operator.replicas) 1) -}}
true
{{- end -}}
{{- end -}}

{{/* The Lease the operator pods elect their leader with, in the release namespace. */}}
{{- define "dftune.leaseName" -}}
{{- include "dftune.operatorName" . -}}
{{- end -}}
