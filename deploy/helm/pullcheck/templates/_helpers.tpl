{{/* The chart's name, and the full name of its objects. */}}
{{- define "pullcheck.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pullcheck.fullname" -}}
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

{{- define "pullcheck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pullcheck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "pullcheck.labels" -}}
{{ include "pullcheck.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "pullcheck.serviceAccountName" -}}
{{- default (include "pullcheck.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* env is one environment variable with a plain value. */}}
{{- define "pullcheck.env" -}}
- name: {{ index . 0 }}
  value: {{ index . 1 | toString | quote }}
{{- end }}

{{/*
settings are pullcheck's settings from the values: one variable each (README,
"Settings"). A value that is empty keeps pullcheck's default; a variable in
extraEnv is left to extraEnv.
*/}}
{{- define "pullcheck.settings" -}}
{{- $v := .Values }}
{{- $ep := $v.ibmcloud.endpoints }}
{{- $routes := list }}
{{- range $v.alerts.routes }}
{{- $routes = append $routes (printf "%s=%s" (required "alerts.routes: each route needs namespaces" .namespaces) (required "alerts.routes: each route needs a channel" .channel)) }}
{{- end }}
{{- $members := list }}
{{- range $v.clusters.members }}
{{- $members = append $members (printf "%s=%s" (required "clusters.members: each member needs a name" .name) (required "clusters.members: each member needs a context" .context)) }}
{{- end }}
{{- $channels := list }}
{{- range $v.clusters.channels }}
{{- $channels = append $channels (printf "%s:%s" (required "clusters.channels: each entry needs a channel" .channel) (required "clusters.channels: each entry needs a cluster" .cluster)) }}
{{- end }}
{{- $registry := list }}
{{- range $region, $url := $ep.registryAPI }}
{{- $registry = append $registry (printf "%s=%s" $region $url) }}
{{- end }}
{{- $settings := list
  (list "PULLCHECK_READ_ONLY" $v.readOnly)
  (list "PULLCHECK_WORKERS" $v.slack.workers)
  (list "SLACK_API_URL" $v.slack.apiURL)
  (list "PULLCHECK_ONCALL_USERS" (join "," $v.slack.onCallUsers))
  (list "PULLCHECK_ONCALL_GROUPS" (join "," $v.slack.onCallGroups))
  (list "PULLCHECK_CLUSTER" $v.ibmcloud.cluster)
  (list "PULLCHECK_PRIVATE_ENDPOINTS" $v.ibmcloud.privateEndpoints)
  (list "PULLCHECK_IAM_URL" $ep.iam)
  (list "PULLCHECK_IAM_IDENTITY_URL" $ep.iamIdentity)
  (list "PULLCHECK_IAM_POLICY_URL" $ep.iamPolicy)
  (list "PULLCHECK_IAM_ACCESS_GROUPS_URL" $ep.iamAccessGroups)
  (list "PULLCHECK_CONTAINERS_URL" $ep.containers)
  (list "PULLCHECK_REGISTRY_API_URLS" (join "," $registry))
  (list "PULLCHECK_TIMEOUT" $v.timeout)
  (list "PULLCHECK_QUOTA_WARN_PERCENT" $v.quota.warnPercent)
  (list "PULLCHECK_QUOTA_CRITICAL_PERCENT" $v.quota.criticalPercent)
  (list "PULLCHECK_QUOTA_SCHEDULE" $v.quota.schedule)
  (list "PULLCHECK_QUOTA_REGIONS" (join "," $v.quota.regions))
  (list "PULLCHECK_HYGIENE_SCHEDULE" $v.hygiene.schedule)
  (list "PULLCHECK_TIMEZONE" $v.timezone)
  (list "PULLCHECK_ALERT_CHANNEL" $v.alerts.channel)
  (list "PULLCHECK_ALERT_ROUTES" (join "," $routes))
  (list "PULLCHECK_ALERT_GRACE" $v.alerts.grace)
  (list "PULLCHECK_ALERT_HOLD" $v.alerts.hold)
  (list "PULLCHECK_STORM_MIN" $v.alerts.stormMin)
  (list "PULLCHECK_HTTP_ADDR" (printf ":%v" $v.opsPort))
  (list "PULLCHECK_CHANNEL_BINDINGS" (join ";" $v.access.channelBindings))
  (list "PULLCHECK_UNBOUND_CHANNELS" $v.access.unboundChannels)
  (list "PULLCHECK_COPY_SOURCES" (join "," $v.access.copySources))
  (list "PULLCHECK_IMAGE_REGISTRIES" (join "," $v.access.imageRegistries))
  (list "PULLCHECK_CLUSTERS" (join "," $members))
  (list "PULLCHECK_KUBECONFIG" $v.clusters.kubeconfig)
  (list "PULLCHECK_CHANNEL_CLUSTERS" (join "," $channels))
}}
{{- $extra := list }}
{{- range $v.extraEnv }}
{{- $extra = append $extra .name }}
{{- end }}
{{- range $settings }}
{{- $value := index . 1 | toString }}
{{- if and (ne $value "") (not (has (index . 0) $extra)) }}
{{ include "pullcheck.env" (list (index . 0) $value) }}
{{- end }}
{{- end }}
{{- end }}
