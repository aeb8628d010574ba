//go:build e2e

package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// controlPlane is a running etcd and kube-apiserver.
type controlPlane struct {
	t     *testing.T
	bin   string
	dir   string
	url   string
	ca    []byte
	admin *kubernetes.Clientset
	// adminConfig is the admin's kubeconfig file.
	adminConfig string
	// stopAPI kills the kube-apiserver (etcd keeps running).
	stopAPI func()
}

const adminToken = "e2e-admin-token"

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs a process until the test ends (or stop); its output goes to a
// log file. The returned channel closes if the process exits early.
func start(t *testing.T, dir, name string, args ...string) (exited <-chan struct{}, stop func()) {
	logf, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(os.Getenv("E2E_BIN"), name), args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("%s log (tail):\n%s", name, tail(string(b), 3000))
		}
	})
	return done, func() { _ = cmd.Process.Kill(); <-done }
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func startControlPlane(t *testing.T) *controlPlane {
	t.Helper()
	bin := os.Getenv("E2E_BIN")
	if bin == "" {
		t.Fatal("E2E_BIN is not set: run e2e/build-control-plane.sh and set E2E_BIN to the directory it prints")
	}
	dir := t.TempDir()
	cp := &controlPlane{t: t, bin: bin, dir: dir}
	etcdPort, peerPort, apiPort := freePort(t), freePort(t), freePort(t)
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPort)
	start(t, dir, "etcd", "--data-dir", filepath.Join(dir, "etcd"), "--listen-client-urls", etcdURL,
		"--advertise-client-urls", etcdURL, "--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", peerPort),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", peerPort),
		"--initial-cluster", fmt.Sprintf("default=http://127.0.0.1:%d", peerPort))
	writeSAKeys(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "tokens.csv"), []byte(adminToken+",e2e-admin,e2e-admin-uid,system:masters\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	apiExited, stopAPI := start(t, dir, "kube-apiserver", "--etcd-servers", etcdURL, "--secure-port", fmt.Sprint(apiPort), "--bind-address", "127.0.0.1",
		"--cert-dir", filepath.Join(dir, "certs"), "--service-account-issuer", "https://kubernetes.default.svc",
		"--service-account-key-file", filepath.Join(dir, "sa.pub"), "--service-account-signing-key-file", filepath.Join(dir, "sa.key"),
		"--token-auth-file", filepath.Join(dir, "tokens.csv"), "--authorization-mode", "RBAC",
		"--service-cluster-ip-range", "10.0.0.0/24", "--advertise-address", "127.0.0.1", "--endpoint-reconciler-type", "none")
	cp.url, cp.stopAPI = fmt.Sprintf("https://127.0.0.1:%d", apiPort), stopAPI
	cp.waitReady(apiExited)
	cp.adminConfig = cp.kubeconfig("admin", adminToken)
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.adminConfig)
	if err != nil {
		t.Fatal(err)
	}
	cp.admin = kubernetes.NewForConfigOrDie(cfg)
	return cp
}

func writeSAKeys(t *testing.T, dir string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	files := map[string][]byte{
		"sa.key": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		"sa.pub": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// waitReady waits for /readyz and reads the serving CA the apiserver made.
func (cp *controlPlane) waitReady(exited <-chan struct{}) {
	deadline := time.Now().Add(3 * time.Minute)
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS()}, Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", cp.url+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		if resp, err := insecure.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ca, err := os.ReadFile(filepath.Join(cp.dir, "certs", "apiserver.crt"))
				if err != nil {
					cp.t.Fatal(err)
				}
				cp.ca = ca
				return
			}
		}
		select {
		case <-exited:
			cp.t.Fatal("kube-apiserver exited before it was ready (its log is below)")
		case <-time.After(200 * time.Millisecond):
		}
	}
	cp.t.Fatal("kube-apiserver did not become ready in 3 minutes")
}

// kubeconfig writes a kubeconfig for a bearer token and returns its path.
func (cp *controlPlane) kubeconfig(user, token string) string {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["e2e"] = &clientcmdapi.Cluster{Server: cp.url, CertificateAuthorityData: cp.ca}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: user}
	cfg.CurrentContext = "e2e"
	p := filepath.Join(cp.dir, user+".kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		cp.t.Fatal(err)
	}
	return p
}

// kubectl runs the real kubectl as the admin.
func (cp *controlPlane) kubectl(args ...string) string {
	cp.t.Helper()
	cmd := exec.Command(filepath.Join(cp.bin, "kubectl"), append([]string{"--kubeconfig", cp.adminConfig}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		cp.t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// clientFor is a client authenticated with a kubeconfig.
func clientFor(t *testing.T, kubeconfig string) (*kubernetes.Clientset, *rest.Config) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return kubernetes.NewForConfigOrDie(cfg), cfg
}
