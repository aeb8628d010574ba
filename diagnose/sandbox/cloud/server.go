package cloud

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Server serves a Cloud over TLS on 127.0.0.1 with a certificate from a
// freshly generated CA that is valid for every emulated host name.
type Server struct {
	srv    *http.Server
	ln     net.Listener
	caPEM  []byte
	caPool *x509.CertPool
}

// Start serves c on a random 127.0.0.1 port until Close.
func Start(c *Cloud) (*Server, error) {
	caKey, caCert, err := newCA()
	if err != nil {
		return nil, err
	}
	leaf, err := newLeaf(caKey, caCert)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening: %w", err)
	}
	s := &Server{
		srv: &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:  log.New(io.Discard, "", 0), // clients hanging up mid-handshake are normal here
			TLSConfig: &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}},
		ln:     ln,
		caPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw}),
		caPool: x509.NewCertPool(),
	}
	s.caPool.AddCert(caCert)
	go func() { _ = s.srv.ServeTLS(ln, "", "") }()
	return s, nil
}

// Close stops the server and closes every open connection.
func (s *Server) Close() { _ = s.srv.Close() }

// CAPEM returns the PEM-encoded CA certificate that signed the server's
// certificate.
func (s *Server) CAPEM() []byte { return append([]byte(nil), s.caPEM...) }

// Addr returns the listener's address ("127.0.0.1:port").
func (s *Server) Addr() string { return s.ln.Addr().String() }

// hostNames are the names on the server certificate. A wildcard covers one
// label, so each private.<region>.icr.io name is listed explicitly.
func hostNames() []string {
	names := []string{"icr.io", "*.icr.io", "private.icr.io",
		"iam.cloud.ibm.com", "private.iam.cloud.ibm.com",
		"containers.cloud.ibm.com", "private.containers.cloud.ibm.com", hubAuthHost}
	names = append(names, hubRegistryHosts...)
	for _, d := range icr.Domains {
		if d.Host != "icr.io" {
			names = append(names, "private."+d.Host)
		}
		if d.Deprecated != "" {
			names = append(names, d.Deprecated)
		}
	}
	return names
}

func newCA() (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generating CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pullcheck sandbox CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("creating CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing CA certificate: %w", err)
	}
	return key, cert, nil
}

func newLeaf(caKey *ecdsa.PrivateKey, ca *x509.Certificate) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generating server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "icr.io"},
		DNSNames:     hostNames(),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("creating server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
