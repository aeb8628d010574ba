// Package e2e is pullcheck's end-to-end suite: the real pullcheck binary,
// authenticated as the service account of deploy/, against a real
// kube-apiserver and etcd (built by build-control-plane.sh), a fake Slack,
// and the emulated IBM Cloud and icr.io on their real host names (reached
// through an HTTPS proxy, trusted through SSL_CERT_FILE).
//
//	go test -tags e2e ./e2e/ (with E2E_BIN set to the control plane's directory)
package e2e
