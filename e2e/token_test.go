//go:build e2e

package e2e

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// playTokenController does what kube-controller-manager's token controller
// would do for a Secret of type kubernetes.io/service-account-token (there
// is no controller manager here): it signs a legacy service account token
// with the cluster's service account key and writes it, the CA and the
// namespace into the Secret. The API server then authenticates it as the
// service account, looking the Secret up on every request.
func (cp *controlPlane) playTokenController(t *testing.T, ns, secret string) {
	t.Helper()
	ctx := context.Background()
	s, err := cp.admin.CoreV1().Secrets(ns).Get(ctx, secret, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	saName := s.Annotations[corev1.ServiceAccountNameKey]
	sa, err := cp.admin.CoreV1().ServiceAccounts(ns).Get(ctx, saName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	token := cp.signLegacy(t, map[string]string{
		"iss":                                    "kubernetes/serviceaccount",
		"sub":                                    "system:serviceaccount:" + ns + ":" + saName,
		"kubernetes.io/serviceaccount/namespace": ns,
		"kubernetes.io/serviceaccount/secret.name":          secret,
		"kubernetes.io/serviceaccount/service-account.name": saName,
		"kubernetes.io/serviceaccount/service-account.uid":  string(sa.UID),
	})
	s.Data = map[string][]byte{"token": []byte(token), "ca.crt": cp.ca, "namespace": []byte(ns)}
	if _, err := cp.admin.CoreV1().Secrets(ns).Update(ctx, s, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// signLegacy signs claims as an RS256 JWT with the service account key.
func (cp *controlPlane) signLegacy(t *testing.T, claims map[string]string) string {
	b, err := os.ReadFile(filepath.Join(cp.dir, "sa.key"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(v any) string {
		j, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(j)
	}
	unsigned := enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(unsigned))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(sig)
}
