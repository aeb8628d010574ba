// Package cloud is an in-memory emulation of the parts of IBM Cloud that
// pullcheck talks to: IAM (tokens, API keys, service IDs, policies, access
// groups, roles), the Kubernetes Service API (getCluster, the cluster listings, enablePullSecret),
// IBM Cloud Container Registry (the registry v2 protocol with icr.io's
// bearer-token flow, and the /api/v1 management API), and Docker Hub's
// public images with its anonymous token flow and pull rate limit.
//
// It speaks the real wire protocols on the real host names: a Cloud holds the
// state and answers requests in Handler, dispatching on the Host header, and
// a Server puts that handler behind TLS on 127.0.0.1 with a throw-away CA.
// Server.Transport returns a RoundTripper that dials every host name to that
// listener, so the official IBM SDKs and go-containerregistry run unchanged
// against their default URLs (https://iam.cloud.ibm.com, https://us.icr.io,
// https://containers.cloud.ibm.com/global, https://index.docker.io).
//
// The package is used by tests and by the `pullcheck demo` sandbox. Error
// bodies copy the shapes the real services send; secrets (API keys, tokens)
// are never echoed back.
package cloud
