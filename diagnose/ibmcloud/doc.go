// Package ibmcloud performs the IBM Cloud lookups that pullcheck's diagnosis
// chain needs to explain why a pod cannot pull from IBM Cloud Container
// Registry: exchanging an API key for an IAM token, describing a key and its
// service ID, deciding from IAM policies whether an identity may pull from a
// registry namespace and which access groups grant such pulls, reading
// registry quotas and namespaces (in one region or in all of them), and
// reading a cluster (its service endpoints) or repairing its image pull
// secret.
//
// Every call goes through the official IBM Cloud Go SDKs, authenticated with a
// core.IamAuthenticator that uses the caller's *http.Client, so the caller's
// timeout bounds every request, including token exchanges (the SDK core does
// not pass a context to the IAM token server). All addresses come from
// Endpoints, so private endpoints can be configured.
//
// pullcheck may run with an API key of its own (the "bot key", from
// IBMCLOUD_API_KEY). Lookups that need it return ErrNoBotKey when there is
// none. Errors are typed so that callers can branch with errors.As:
//
//   - *KeyRejectedError: IAM refused to exchange a (user's) API key.
//   - *PermissionError: pullcheck's own key was rejected or lacks an IBM
//     Cloud permission; Permission names what to grant.
//   - *NotFoundError: the looked-up object does not exist.
//   - *UnreachableError: DNS, TCP, TLS or timeout failure.
//   - *APIError: any other failure reported by an IBM Cloud API.
//
// No error message ever contains an API key or a token: messages are built
// from allow-listed response fields, and server-provided text is scrubbed of
// every key the Client knows about.
package ibmcloud
