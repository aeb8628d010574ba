package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Nodes of the sandbox cluster. DiskFullNode is an amd64 node under disk
// pressure: its image store is full.
const (
	AMD64Node    = "10.240.0.11"
	ARM64Node    = "10.240.0.12"
	DiskFullNode = "10.240.0.13"
)

// ICRHosts are every public and private icr.io domain, as in all-icr-io.
func ICRHosts() []string {
	var hosts []string
	for _, d := range icr.Domains {
		hosts = append(hosts, d.Host, "private."+d.Host)
	}
	return hosts
}

// DockerConfig is a .dockerconfigjson giving username/password for hosts.
func DockerConfig(username, password string, hosts ...string) []byte {
	auths := map[string]any{}
	for _, h := range hosts {
		auths[h] = map[string]string{"username": username, "password": password, "email": "iamapikey",
			"auth": base64.StdEncoding.EncodeToString([]byte(username + ":" + password))}
	}
	b, _ := json.Marshal(map[string]any{"auths": auths})
	return b
}

func (w *World) create(obj runtime.Object) {
	if err := w.Kube.Tracker().Add(obj); err != nil {
		panic(fmt.Sprintf("sandbox: adding %T: %v", obj, err))
	}
}

func (w *World) seedCluster() error {
	cfg, _ := json.Marshal(map[string]string{"cluster_id": ClusterID, "cluster_name": ClusterName})
	w.create(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "cluster-info"},
		Data: map[string]string{"cluster-config.json": string(cfg)}})
	w.create(node(AMD64Node, "amd64", false))
	w.create(node(ARM64Node, "arm64", false))
	w.create(node(DiskFullNode, "amd64", true))
	if w.fresh {
		w.Namespace("default", NamespaceSetup{})
	} else {
		w.Namespace("default", NamespaceSetup{SASecrets: []string{AllICRIO}})
		w.PullSecret("default", AllICRIO, DockerConfig("iamapikey", w.ClusterKey, ICRHosts()...))
	}
	w.Namespace("kube-system", NamespaceSetup{})
	return nil
}

// node is a ready worker node; under disk pressure it reports the condition
// and carries the taint the node lifecycle controller adds.
func node(name, arch string, diskPressure bool) *corev1.Node {
	since := metav1.NewTime(sandboxEpoch.Add(-time.Hour))
	cond := func(typ corev1.NodeConditionType, status corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: typ, Status: status, Reason: reason, Message: msg,
			LastHeartbeatTime: metav1.NewTime(sandboxEpoch), LastTransitionTime: since}
	}
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kubernetes.io/arch": arch}},
		Status: corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{OperatingSystem: "linux", Architecture: arch},
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
				cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
			}}}
	if diskPressure {
		n.Status.Conditions[0] = cond(corev1.NodeDiskPressure, corev1.ConditionTrue, "KubeletHasDiskPressure", "kubelet has disk pressure")
		n.Spec.Taints = []corev1.Taint{{Key: corev1.TaintNodeDiskPressure, Effect: corev1.TaintEffectNoSchedule, TimeAdded: &since}}
	}
	return n
}

// AllICRIO is the cluster pull secret's name.
const AllICRIO = "all-icr-io"

// NamespaceSetup is how a namespace's pull secrets are set up.
type NamespaceSetup struct {
	// Copy copies default/all-icr-io into the namespace.
	Copy bool
	// SASecrets are the default service account's imagePullSecrets.
	SASecrets []string
	// NoServiceAccount leaves the namespace without a default service account.
	NoServiceAccount bool
}

// Namespace creates a namespace with its default service account.
func (w *World) Namespace(ns string, s NamespaceSetup) {
	w.create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	if !s.NoServiceAccount {
		w.ServiceAccount(ns, "default", s.SASecrets...)
	}
	if s.Copy {
		src, err := w.Kube.CoreV1().Secrets("default").Get(context.Background(), AllICRIO, metav1.GetOptions{})
		if err != nil {
			panic("sandbox: default/all-icr-io missing: " + err.Error())
		}
		w.Secret(ns, AllICRIO, src.Type, src.Data)
	}
}

// ServiceAccount creates a service account listing pull secrets.
func (w *World) ServiceAccount(ns, name string, secrets ...string) {
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	for _, s := range secrets {
		sa.ImagePullSecrets = append(sa.ImagePullSecrets, corev1.LocalObjectReference{Name: s})
	}
	w.create(sa)
}

// Secret creates a secret.
func (w *World) Secret(ns, name string, typ corev1.SecretType, data map[string][]byte) {
	w.create(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Type: typ, Data: data})
}

// PullSecret creates a kubernetes.io/dockerconfigjson secret.
func (w *World) PullSecret(ns, name string, dockerConfigJSON []byte) {
	w.Secret(ns, name, corev1.SecretTypeDockerConfigJson, map[string][]byte{corev1.DockerConfigJsonKey: dockerConfigJSON})
}

func suffix(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// applyPullSecret is what IBM does for "ibmcloud ks cluster pull-secret
// apply": (re)create default/all-icr-io and list it on default's service account.
func (w *World) applyPullSecret(clusterID string) {
	if clusterID != ClusterID && clusterID != ClusterName {
		return
	}
	ctx := context.Background()
	secrets := w.Kube.CoreV1().Secrets("default")
	data := map[string][]byte{corev1.DockerConfigJsonKey: DockerConfig("iamapikey", w.ClusterKey, ICRHosts()...)}
	if s, err := secrets.Get(ctx, AllICRIO, metav1.GetOptions{}); err == nil {
		s.Data = data
		_, _ = secrets.Update(ctx, s, metav1.UpdateOptions{})
	} else {
		w.PullSecret("default", AllICRIO, data[corev1.DockerConfigJsonKey])
	}
	sas := w.Kube.CoreV1().ServiceAccounts("default")
	if sa, err := sas.Get(ctx, "default", metav1.GetOptions{}); err == nil && len(sa.ImagePullSecrets) == 0 {
		sa.ImagePullSecrets = refs([]string{AllICRIO})
		_, _ = sas.Update(ctx, sa, metav1.UpdateOptions{})
	}
}
