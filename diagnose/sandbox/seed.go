package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

// Role CRNs used by the sandbox's policies.
const (
	ReaderRole   = "crn:v1:bluemix:public:iam::::serviceRole:Reader"
	ViewerRole   = "crn:v1:bluemix:public:iam::::role:Viewer"
	OperatorRole = "crn:v1:bluemix:public:iam::::role:Operator"
)

// UnreachableHost is a registry host that does not resolve in the sandbox.
const UnreachableHost = "registry.corp.internal"

// trafficDeniedMonthly is another of IBM's wordings of the pull traffic
// quota denial.
const trafficDeniedMonthly = "You have exceeded your pull traffic quota for the current month. Upgrade your plan or wait until next month."

// keyValue derives a stable, key-looking secret from a name.
func keyValue(name string) string {
	sum := sha256.Sum256([]byte("sandbox-key/" + name))
	return "sbx" + hex.EncodeToString(sum[:])[:41]
}

// ServiceIDKey creates a service ID in account with an API key and returns
// the key and the service ID's iam_id. mod may change the key (disable it).
func (w *World) ServiceIDKey(account, name string, mod ...func(*cloud.APIKey)) (key, iamID string) {
	w.keys++
	sid := fmt.Sprintf("ServiceId-%08x-5b0c-4000-8000-%012d", w.keys, w.keys)
	w.Cloud.AddServiceID(cloud.ServiceID{ID: sid, AccountID: account, Name: name, Description: "sandbox service ID " + name})
	k := cloud.APIKey{Value: keyValue(name), ID: fmt.Sprintf("ApiKey-%08x-5b0c-4000-8000-%012d", w.keys, w.keys),
		IAMID: "iam-" + sid, AccountID: account, Name: name + "-key", CreatedBy: "iam-" + sid}
	for _, m := range mod {
		m(&k)
	}
	w.Cloud.AddAPIKey(k)
	return k.Value, k.IAMID
}

// Grant adds a policy giving iamID role on service (account-wide unless
// attrs add region / resourceType / resource pairs).
func (w *World) Grant(account, iamID, role, service string, attrs ...string) {
	res := map[string]string{"accountId": account, "serviceName": service}
	for i := 0; i+1 < len(attrs); i += 2 {
		res[attrs[i]] = attrs[i+1]
	}
	w.keys++
	w.Cloud.AddPolicy(cloud.Policy{ID: fmt.Sprintf("policy-%04d", w.keys), AccountID: account, SubjectIAMID: iamID,
		Roles: []string{role}, Resource: res})
}

func (w *World) seedCloud() error {
	c := w.Cloud
	var clusterIAM, botIAM string
	w.ClusterKey, clusterIAM = w.ServiceIDKey(ClusterAccount, "cluster-"+ClusterID)
	w.Grant(ClusterAccount, clusterIAM, ReaderRole, "container-registry")
	w.BotKey, botIAM = w.ServiceIDKey(ClusterAccount, "pullcheck")
	for _, s := range []string{"iam-identity", "iam-access-management", "iam-groups", "containers-kubernetes"} {
		w.Grant(ClusterAccount, botIAM, ViewerRole, s)
	}
	w.Grant(ClusterAccount, botIAM, OperatorRole, "containers-kubernetes")
	w.Grant(ClusterAccount, botIAM, ReaderRole, "container-registry")
	c.AddCluster(cloud.Cluster{ID: ClusterID, Name: ClusterName, AccountID: ClusterAccount, Region: "us-south",
		ResourceGroup: ResourceGroup, PullSecretApplied: !w.fresh, PrivateOnly: w.private})
	for _, ns := range []struct{ region, name, account string }{
		{"us-south", "shop", ClusterAccount}, {"jp-tok", "shop-jp", ClusterAccount}, {"eu-de", "shop-eu", ClusterAccount},
		{"us-south", "partner-tools", PartnerAccount}, {"us-south", "vault", PrivateAccount}, {"us-south", "restricted", ClusterAccount},
		{"jp-osa", "shop-osa", ClusterAccount},
	} {
		c.AddNamespace(ns.region, ns.name, ns.account, ResourceGroup)
	}
	c.SetQuota("us-south", ClusterAccount, cloud.Quota{StorageLimit: 512 << 20, StorageUsed: 130 << 20, TrafficLimit: 5120 << 20, TrafficUsed: 900 << 20})
	c.SetQuota("jp-tok", ClusterAccount, cloud.Quota{StorageLimit: 512 << 20, StorageUsed: 40 << 20, TrafficLimit: 5120 << 20, TrafficUsed: 5120 << 20})
	c.SetQuota("jp-osa", ClusterAccount, cloud.Quota{StorageLimit: 512 << 20, StorageUsed: 25 << 20, TrafficLimit: 5120 << 20, TrafficUsed: 5120 << 20})
	c.SetTrafficDenial("jp-osa", ClusterAccount, trafficDeniedMonthly)
	c.SetPrivateOnly(PrivateAccount, true)
	c.RestrictNamespace("us-south", "restricted")
	return w.pushImages()
}

func (w *World) pushImages() error {
	for _, ref := range []string{"us.icr.io/shop/web:1.0", "us.icr.io/shop/web:1.2", "us.icr.io/shop/web:2.0",
		"us.icr.io/shop/api:3.1", "jp.icr.io/shop-jp/web:1.0", "de.icr.io/shop-eu/web:1.0",
		"us.icr.io/partner-tools/agent:1.0", "us.icr.io/vault/app:1.0", "us.icr.io/restricted/app:1.0",
		"jp2.icr.io/shop-osa/web:1.0"} {
		img, err := image("linux", "amd64")
		if err != nil {
			return err
		}
		if err := w.Cloud.Push(ref, img); err != nil {
			return fmt.Errorf("pushing %s: %w", ref, err)
		}
	}
	idx, err := index(v1.Platform{OS: "linux", Architecture: "amd64"}, v1.Platform{OS: "linux", Architecture: "s390x"})
	if err != nil {
		return err
	}
	if err := w.Cloud.Push("us.icr.io/shop/batch:1.0", idx); err != nil {
		return err
	}
	if idx, err = nginx(); err != nil {
		return err
	}
	return w.Cloud.Push(nginxImage, idx)
}

// nginxImage is a public Docker Hub image of the sandbox.
const nginxImage = "docker.io/library/nginx:1.27"

// nginx is nginxImage's index: amd64 and arm64.
func nginx() (v1.ImageIndex, error) {
	return index(v1.Platform{OS: "linux", Architecture: "amd64"}, v1.Platform{OS: "linux", Architecture: "arm64"})
}

// image is a small random image for one platform.
func image(os, arch string) (v1.Image, error) {
	img, err := random.Image(512, 1, random.WithSource(rand.NewSource(int64(len(os)*31+len(arch)))))
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = os, arch
	return mutate.ConfigFile(img, cf)
}

// index is a multi-platform image index.
func index(platforms ...v1.Platform) (v1.ImageIndex, error) {
	var adds []mutate.IndexAddendum
	for _, p := range platforms {
		img, err := image(p.OS, p.Architecture)
		if err != nil {
			return nil, err
		}
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	return mutate.AppendManifests(empty.Index, adds...), nil
}
