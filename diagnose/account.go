package diagnose

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// accessFacts is whether the key's identity may pull from the namespace.
type accessFacts struct {
	*ibmcloud.Access
	iamID     string
	account   string
	serviceID *ibmcloud.ServiceID
	scope     ibmcloud.PullScope
}

func (t *Target) pullAccess(ctx context.Context) (*accessFacts, error) {
	return t.access.get(func() (*accessFacts, error) {
		ref, host, err := t.icrImage(ctx)
		if err != nil {
			return nil, err
		}
		oa, err := t.ownerAccount(ctx)
		if err != nil {
			return nil, err
		}
		if oa.owner == "" {
			return nil, skip("the namespace's owning account is unknown: it is not in the key's account")
		}
		kf, _ := t.keyDetails(ctx)
		scope := ibmcloud.PullScope{IAMID: kf.IAMID, AccountID: oa.owner, Region: host.Region,
			Namespace: registryNamespace(ref.Context().RepositoryStr())}
		if oa.namespace != nil {
			scope.ResourceGroup = oa.namespace.ResourceGroup
		}
		af := &accessFacts{iamID: kf.IAMID, account: oa.owner, scope: scope}
		// A denied identity is offered the groups that grant the pull: ask
		// beside its own policies.
		go func() { _, _ = t.groupsGranting(ctx, scope) }()
		done := make(chan struct{})
		go func() {
			defer close(done)
			if strings.HasPrefix(kf.IAMID, "iam-ServiceId-") {
				af.serviceID, _ = t.e.opts.IBM.ServiceID(ctx, kf.IAMID)
			}
		}()
		a, err := t.e.opts.IBM.PullAccess(ctx, scope)
		<-done
		if err != nil {
			return nil, t.ibmError(err, "read the IAM policies of the key's identity")
		}
		af.Access = a
		return af, nil
	})
}

// quotaFacts is the registry quota of the image's region and account.
type quotaFacts struct {
	*ibmcloud.Quota
	region, account string
}

func (t *Target) quota(ctx context.Context) (*quotaFacts, error) {
	return t.quotas.get(func() (*quotaFacts, error) {
		_, host, err := t.icrImage(ctx)
		if err != nil {
			return nil, err
		}
		account, err := t.e.opts.IBM.BotAccount(ctx)
		if err != nil {
			return nil, t.ibmError(err, "read the registry quota")
		}
		if oa, err := t.ownerAccount(ctx); err == nil && oa.owner != "" {
			account = oa.owner
		}
		q, err := t.e.opts.IBM.Quota(ctx, host.Region, account)
		if err != nil {
			return nil, t.ibmError(err, "read the registry quota")
		}
		return &quotaFacts{Quota: q, region: host.Region, account: account}, nil
	})
}

// clusterFacts is the cluster as the Kubernetes Service API sees it.
type clusterFacts struct {
	id      string
	cluster *ibmcloud.Cluster
	err     error
}

// clusterID is the configured cluster, else the one kube-system/cluster-info names.
func (t *Target) clusterID(ctx context.Context) string {
	id, _ := t.clusterName.get(func() (string, error) { return t.readClusterID(ctx), nil })
	return id
}

func (t *Target) readClusterID(ctx context.Context) string {
	if t.e.opts.Cluster != "" {
		return t.e.opts.Cluster
	}
	id, err := ReadClusterID(ctx, t.e.opts.Kube)
	if err != nil {
		_ = t.kubeError(err, "get", "configmaps", "kube-system", "learn the cluster ID from cluster-info")
	}
	return id
}

// ReadClusterID reads the IBM Cloud Kubernetes Service cluster ID from
// kube-system/cluster-info, as IBM writes it there; "" without error when
// the ConfigMap is missing or names none (not an IBM cluster).
func ReadClusterID(ctx context.Context, kube kubernetes.Interface) (string, error) {
	cm, err := kube.CoreV1().ConfigMaps("kube-system").Get(ctx, "cluster-info", metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var cfg struct {
		ClusterID string `json:"cluster_id"`
	}
	if json.Unmarshal([]byte(cm.Data["cluster-config.json"]), &cfg) != nil {
		return "", nil
	}
	return cfg.ClusterID, nil
}

// clusterState asks the Kubernetes Service API about the cluster; its error
// is kept in the facts so that checks can show it as evidence.
func (t *Target) clusterState(ctx context.Context) *clusterFacts {
	cf, _ := t.cluster.get(func() (*clusterFacts, error) {
		cf := &clusterFacts{id: t.clusterID(ctx)}
		if cf.id == "" {
			cf.err = errors.New("cluster ID unknown (set PULLCHECK_CLUSTER)")
			return cf, nil
		}
		cf.cluster, cf.err = t.e.opts.IBM.Cluster(ctx, cf.id)
		if cf.err != nil {
			cf.err = t.ibmError(cf.err, "read the cluster from the Kubernetes Service API (pull-secret state, service endpoints)")
		}
		return cf, nil
	})
	return cf
}
