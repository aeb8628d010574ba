package fleet

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

// TestSurvey: the sandbox's cluster matched by the ID in its cluster-info,
// a second one by its server URL, one member that does not answer, and the
// account's clusters nobody covers.
func TestSurvey(t *testing.T) {
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Cloud.AddCluster(cloud.Cluster{ID: "cqeu000000000000001", Name: "shop-eu", AccountID: sandbox.ClusterAccount, Region: "eu-de",
		ResourceGroup: sandbox.ResourceGroup, Provider: "classic", MasterURL: "https://10.9.8.7:31000"})
	w.Cloud.AddCluster(cloud.Cluster{ID: "cqdev00000000000002", Name: "dev", AccountID: sandbox.ClusterAccount, Region: "us-east",
		ResourceGroup: sandbox.ResourceGroup, PullSecretApplied: true})
	w.Cloud.AddCluster(cloud.Cluster{ID: "cqzzz00000000000003", Name: "theirs", AccountID: sandbox.PartnerAccount, Region: "us-east"})
	eu := fake.NewClientset(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: sandbox.AllICRIO}})
	down := NewMember("staging", "ctx-staging", "https://10.0.0.9:6443", fake.NewClientset())
	down.Health = NewHealthFunc("staging", func(context.Context) error { return errors.New("connection refused") })
	members := []*Member{
		NewMember("prod-us", "ctx-us", "https://c100.us-south.containers.cloud.ibm.com:31000", w.Kube),
		NewMember("prod-eu", "ctx-eu", "https://10.9.8.7:31000/", eu),
		down,
	}
	s := Take(context.Background(), w.EngineOptions(w.BotKey).IBM, members)
	if s.ListErr != nil {
		t.Fatal(s.ListErr)
	}
	applied, notApplied := true, false
	got := []MemberState{s.Members[0], s.Members[1]}
	for i := range got {
		got[i].Listed = nil
	}
	want := []MemberState{
		{Name: "prod-us", Context: "ctx-us", ClusterID: sandbox.ClusterID, MatchedBy: "cluster ID", AllICRIO: "present", PullSecretApplied: &applied},
		{Name: "prod-eu", Context: "ctx-eu", ClusterID: "cqeu000000000000001", MatchedBy: "server URL", AllICRIO: "present", PullSecretApplied: &notApplied},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	var ue *UnreachableError
	if !errors.As(s.Members[2].Err, &ue) {
		t.Errorf("staging: %v", s.Members[2].Err)
	}
	if len(s.Uncovered) != 1 || s.Uncovered[0].Name != "dev" {
		t.Errorf("uncovered: %+v", s.Uncovered)
	}
	wantLines := []string{
		"pullcheck serves 3 clusters; account " + sandbox.ClusterAccount + " has 3 clusters, 1 not covered",
		"• prod-us (context ctx-us) → shop-prod (" + sandbox.ClusterID + ", us-south; matched by cluster ID): default/all-icr-io present, pull secret applied",
		"• prod-eu (context ctx-eu) → shop-eu (cqeu000000000000001, eu-de; matched by server URL): default/all-icr-io present, pull secret never applied (ibmcloud ks cluster pull-secret apply)",
		"• staging (context ctx-staging): " + ue.UserMessage(),
		"Not covered (give each one deploy/overlays/member and a context in pullcheck's kubeconfig; see the README):",
		"• dev (cqdev00000000000002, us-east, normal)",
	}
	if diff := cmp.Diff(wantLines, s.Lines()); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}
}

func TestSurveyWithoutKey(t *testing.T) {
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s := Take(context.Background(), w.EngineOptions("").IBM, []*Member{NewMember("", "", "", w.Kube)})
	if !errors.Is(s.ListErr, ibmcloud.ErrNoBotKey) || s.Members[0].ClusterID != sandbox.ClusterID {
		t.Fatalf("survey without a key: %+v", s)
	}
	want := "• this cluster: cluster " + sandbox.ClusterID + ", not in the account's listing (another account, or pullcheck's key may not view it); default/all-icr-io present"
	if l := s.Lines(); len(l) != 2 || l[1] != want {
		t.Errorf("Lines = %q", l)
	}
}
