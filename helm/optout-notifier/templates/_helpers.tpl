{{/*
Chart name, truncated to the 63 characters of a DNS label.
*/}}
{{- define "optout-notifier.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's resources: the release name alone when it already contains the chart name.
*/}}
{{- define "optout-notifier.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "optout-notifier.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource.
*/}}
{{- define "optout-notifier.labels" -}}
helm.sh/chart: {{ include "optout-notifier.chart" . }}
{{ include "optout-notifier.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the application's pods. Never the version: selectors are immutable, so an upgrade would fail.
*/}}
{{- define "optout-notifier.selectorLabels" -}}
app.kubernetes.io/name: {{ include "optout-notifier.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount the pods run as.
*/}}
{{- define "optout-notifier.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "optout-notifier.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The chart makes its own Secret unless secrets.existingSecret holds them all.
*/}}
{{- define "optout-notifier.createSecret" -}}
{{- if not .Values.secrets.existingSecret }}true{{ end }}
{{- end }}

{{/*
Labels of the `helm test` pod. Not the selector labels: the Service and the NetworkPolicy must not pick it up.
*/}}
{{- define "optout-notifier.testLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end }}
