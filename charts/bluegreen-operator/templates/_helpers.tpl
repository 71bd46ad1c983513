{{/* Names and labels shared by every template. */}}

{{- define "bluegreen-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bluegreen-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bluegreen-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bluegreen-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bluegreen-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "bluegreen-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bluegreen-operator
{{- end -}}

{{- define "bluegreen-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bluegreen-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bluegreen-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Where the Lease lives: explicit, else the watched namespace (namespaced mode), else ours. */}}
{{- define "bluegreen-operator.leaseNamespace" -}}
{{- .Values.leaderElection.namespace | default .Values.watchNamespace | default .Release.Namespace -}}
{{- end -}}

{{- define "bluegreen-operator.leaseName" -}}
{{- default (include "bluegreen-operator.fullname" .) .Values.leaderElection.leaseName -}}
{{- end -}}

{{/*
The API calls the operator makes on BlueGreenServices and the objects it owns (see
operator/src/k8s/ and controller/informers.ts). Shared by the ClusterRole (all namespaces)
and the Role (namespaced mode) so the two modes cannot drift apart.
*/}}
{{- define "bluegreen-operator.managerRules" -}}
# Informer of BlueGreenServices.
- apiGroups: [bluegreen.dev]
  resources: [bluegreenservices]
  verbs: [list, watch]
# Server-side apply of status (one write per reconcile).
- apiGroups: [bluegreen.dev]
  resources: [bluegreenservices/status]
  verbs: [patch]
# Owned objects carry ownerReferences with blockOwnerDeletion; clusters that enable the
# OwnerReferencesPermissionEnforcement admission plugin require this to set them.
- apiGroups: [bluegreen.dev]
  resources: [bluegreenservices/finalizers]
  verbs: [update]
# Informer (label selector) and server-side apply of the two colour Deployments; an apply
# that creates the object is also authorised as "create". Replica counts use a merge patch.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch]
# Kept copies of the templates colours run (server-side apply creates them, immutable), read
# back by name only when a live colour's Deployment was deleted, deleted when no colour runs them.
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [get, create, patch, delete]
# Active, preview and per-colour Services: informer, apply/merge patch of the selector, and a
# direct GET to find a Service to adopt that does not carry our labels yet.
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch]
# Readiness of each colour is read from EndpointSlices before any traffic switch.
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
# Events explain every decision in `kubectl describe bgs`.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- if .Values.rbac.readSecrets }}
# spec.analysis.prometheus.headersSecretRef and tls.caSecretRef, web check header Secrets: a GET
# by name before an analysis round, never list or watch.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
{{- if .Values.rbac.readConfigMaps }}
# spec.analysis.prometheus.tls.caConfigMapRef (a CA bundle): a GET by name before an analysis
# round, never list or watch.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
{{- end }}
{{- if .Values.rbac.gatewayAPI }}
# spec.canary.trafficRouting.gatewayAPI.httpRoute: a GET by name each reconcile and a JSON patch
# of two backendRef weights (docs/adr/0017); never list, watch or create.
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, patch]
{{- end }}
{{- end -}}

{{/* Leader election: create the Lease once, then only read and renew that one Lease. */}}
{{- define "bluegreen-operator.leaseRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [{{ include "bluegreen-operator.leaseName" . | quote }}]
  verbs: [get, update]
{{- end -}}

{{/* NOTIFICATION_PROVIDERS: the providers' names, types and events as JSON (never their Secrets). */}}
{{- define "bluegreen-operator.notificationProviders" -}}
{{- $out := list -}}
{{- range .Values.notifications.providers -}}
{{- $p := dict "name" .name "type" .type -}}
{{- if .events }}{{- $_ := set $p "events" .events -}}{{- end -}}
{{- $out = append $out $p -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}
