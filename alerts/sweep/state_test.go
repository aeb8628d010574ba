package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose/icr"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

// ignoreOrigin compares States by content.
var ignoreOrigin = cmpopts.IgnoreUnexported(State{})

func TestSampleJSON(t *testing.T) {
	in := []Sample{{At: date(10, 3), Used: 4 << 30, Limit: 5 << 30}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[[1794279600,4294967296,5368709120]]"; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var out []Sample
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`[{"At":"x"}]`), &out); err == nil {
		t.Error("an object was read as a sample")
	}
}

func TestRecord(t *testing.T) {
	s := func(day, hour, minute int, used int64) Sample {
		return Sample{At: date(day, hour).Add(time.Duration(minute) * time.Minute), Used: used, Limit: 100}
	}
	tests := []struct {
		name   string
		series []Sample
		add    Sample
		since  time.Time
		want   []Sample
	}{
		{name: "first", add: s(2, 0, 0, 1), since: date(1, 0), want: []Sample{s(2, 0, 0, 1)}},
		{name: "next hour appends", series: []Sample{s(2, 0, 50, 1)}, add: s(2, 1, 5, 2), since: date(1, 0),
			want: []Sample{s(2, 0, 50, 1), s(2, 1, 5, 2)}},
		{name: "same hour replaces", series: []Sample{s(2, 0, 0, 1), s(2, 1, 5, 2)}, add: s(2, 1, 55, 3), since: date(1, 0),
			want: []Sample{s(2, 0, 0, 1), s(2, 1, 55, 3)}},
		{name: "older than since dropped", series: []Sample{s(1, 0, 0, 1), s(3, 0, 0, 2)}, add: s(4, 0, 0, 3), since: date(2, 0),
			want: []Sample{s(3, 0, 0, 2), s(4, 0, 0, 3)}},
		{name: "clock went back: later samples dropped", series: []Sample{s(2, 0, 0, 1), s(5, 0, 0, 2)}, add: s(3, 0, 0, 3), since: date(1, 0),
			want: []Sample{s(2, 0, 0, 1), s(3, 0, 0, 3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, record(tt.series, tt.add, tt.since)); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("an hour apart for a day, a day apart before", func(t *testing.T) {
		var series []Sample
		for h := range 72 {
			series = record(series, s(1, h, 0, int64(h)), date(1, 0))
		}
		want := []Sample{s(1, 23, 0, 23), s(2, 23, 0, 47)}
		for h := 48; h < 72; h++ {
			want = append(want, s(1, h, 0, int64(h)))
		}
		if diff := cmp.Diff(want, series); diff != "" {
			t.Errorf("after three days of hourly samples (-want +got):\n%s", diff)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		var series []Sample
		for h := range 100 * 24 {
			series = record(series, Sample{At: date(1, 0).Add(time.Duration(h) * time.Hour), Used: int64(h)}, date(1, 0))
		}
		if len(series) != maxSamples || series[len(series)-1].Used != 100*24-1 {
			t.Errorf("%d samples, last %+v", len(series), series[len(series)-1])
		}
	})
}

// configMapStore is the sweeps' store on a fake API server that refuses
// ConfigMaps over 1 MiB, as the real one does.
type configMapStore struct {
	Store
	Kube *fake.Clientset
}

func newStore() configMapStore {
	kube := sandbox.NewClientset()
	kubestatetest.LimitConfigMaps(kube)
	return configMapStore{Store: NewConfigMapStore(kube, "pullcheck"), Kube: kube}
}

func TestConfigMapStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	st, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(State{}, st, ignoreOrigin); diff != "" {
		t.Errorf("empty store (-want +got):\n%s", diff)
	}
	st.init()
	st.Posted["quota/us-south/traffic"] = SeverityWarning
	st.Quota["us-south/traffic"] = []Sample{{At: date(10, 0), Used: 1, Limit: 2}}
	if err := s.Save(ctx, st); err != nil { // creates
		t.Fatal(err)
	}
	again, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, again, ignoreOrigin); diff != "" {
		t.Errorf("reloaded (-want +got):\n%s", diff)
	}
	again.Posted["hygiene/team-a"] = "warning abc"
	if err := s.Save(ctx, again); err != nil { // updates
		t.Fatal(err)
	}
	cm, err := s.Kube.CoreV1().ConfigMaps("pullcheck").Get(ctx, "pullcheck-sweeps", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"quota":{"us-south/traffic":[[1794268800,1,2]]},"posted":{"hygiene/team-a":"warning abc","quota/us-south/traffic":"warning"}}`
	if got := cm.Data[StateKey]; got != want || cm.Labels["app.kubernetes.io/managed-by"] != "pullcheck" {
		t.Errorf("configmap data %s labels %v; want %s", got, cm.Labels, want)
	}
}

func TestConfigMapStoreKeepsOtherKeys(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "pullcheck", Name: "pullcheck-sweeps",
		Annotations: map[string]string{"note": "kept"}}, Data: map[string]string{"other": "kept"}}
	if _, err := s.Kube.CoreV1().ConfigMaps("pullcheck").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.init()
	st.Posted["k"] = "v"
	if err := s.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Kube.CoreV1().ConfigMaps("pullcheck").Get(ctx, "pullcheck-sweeps", metav1.GetOptions{})
	if got.Data["other"] != "kept" || got.Annotations["note"] != "kept" || got.Data[StateKey] != `{"posted":{"k":"v"}}` {
		t.Errorf("configmap after Save: %+v", got)
	}
}

func TestConfigMapStoreConflict(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	seed, _ := s.Load(ctx)
	seed.init()
	seed.Posted["hygiene/old"] = "warning 111"
	seed.Posted["hygiene/kept"] = "warning 222"
	if err := s.Save(ctx, seed); err != nil {
		t.Fatal(err)
	}
	quota, _ := s.Load(ctx)   // the quota sweep's run
	hygiene, _ := s.Load(ctx) // the hygiene sweep's run, at the same time
	quota.Posted["quota/us-south/traffic"] = SeverityCritical
	quota.Quota = map[string][]Sample{"us-south/traffic": {{At: date(10, 0), Used: 9, Limit: 10}}}
	if err := s.Save(ctx, quota); err != nil {
		t.Fatal(err)
	}
	delete(hygiene.Posted, "hygiene/old")
	hygiene.Posted["hygiene/team-a"] = "warning 333"
	if err := s.Save(ctx, hygiene); err != nil { // conflicts, reloads, retries
		t.Fatal(err)
	}
	got, _ := s.Load(ctx)
	want := State{
		Quota:  map[string][]Sample{"us-south/traffic": {{At: date(10, 0), Used: 9, Limit: 10}}},
		Posted: map[string]string{"quota/us-south/traffic": SeverityCritical, "hygiene/kept": "warning 222", "hygiene/team-a": "warning 333"},
	}
	if diff := cmp.Diff(want, got, ignoreOrigin); diff != "" {
		t.Errorf("after concurrent saves (-want +got):\n%s", diff)
	}
}

func TestConfigMapStoreCreatedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	a, _ := s.Load(ctx)
	b, _ := s.Load(ctx)
	a.Posted = map[string]string{"a": "1"}
	b.Posted = map[string]string{"b": "2"}
	if err := s.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, b); err != nil { // AlreadyExists: reloads and updates
		t.Fatal(err)
	}
	got, _ := s.Load(ctx)
	if diff := cmp.Diff(map[string]string{"a": "1", "b": "2"}, got.Posted); diff != "" {
		t.Errorf("Posted (-want +got):\n%s", diff)
	}
}

func TestConfigMapStoreConflictTwice(t *testing.T) {
	ctx := context.Background()
	s := newStore()
	st, _ := s.Load(ctx)
	if err := s.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Load(ctx)
	updates := 0
	s.Kube.PrependReactor("update", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		updates++
		return true, nil, apierrors.NewConflict(schema.GroupResource{Resource: "configmaps"}, "pullcheck-sweeps", nil)
	})
	err := s.Save(ctx, st)
	if updates != 2 || !apierrors.IsConflict(err) || !strings.Contains(err.Error(), "after a conflicting write") {
		t.Errorf("Save = %v after %d updates; want a conflict after 2", err, updates)
	}
}

// TestStateOfEveryRegionStaysSmall: a month of hourly quota samples for
// every region and both quotas, and marks for 1,000 namespaces, saved to
// the ConfigMap stay far below the 1 MiB it may hold.
func TestStateOfEveryRegionStaysSmall(t *testing.T) {
	ctx := context.Background()
	kube := sandbox.NewClientset()
	sizes := kubestatetest.LimitConfigMaps(kube)
	store := NewConfigMapStore(kube, "pullcheck")
	st, err := store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.init()
	start := date(1, 0)
	for h := range 30 * 24 {
		now := start.Add(time.Duration(h) * time.Hour)
		for _, d := range icr.Domains {
			for _, m := range []string{"storage", "traffic"} {
				k := d.Region + "/" + m
				st.Quota[k] = record(st.Quota[k], Sample{At: now, Used: 4<<30 + int64(h)<<20, Limit: 5 << 30}, start)
			}
		}
	}
	for i := range 1000 {
		st.Posted[fmt.Sprintf("hygiene/team-%04d", i)] = SeverityWarning + " 0123456789abcdef"
	}
	if err := store.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	n := sizes.Last("pullcheck/" + StateConfigMap)
	t.Logf("sweep ConfigMap: %d bytes (%d regions)", n, len(icr.Domains))
	if n == 0 || n > 128<<10 {
		t.Errorf("the sweep ConfigMap holds %d bytes, want at most 128 KiB", n)
	}
}
