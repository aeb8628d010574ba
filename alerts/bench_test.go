package alerts

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// fatPod is a pod as the API server returns it: labels, annotations,
// managed fields, env, volumes, resources and full statuses.
func fatPod(i int) *corev1.Pod {
	ns := fmt.Sprintf("ns-%02d", i%50)
	yes := true
	env := make([]corev1.EnvVar, 20)
	for j := range env {
		env[j] = corev1.EnvVar{Name: fmt.Sprintf("SETTING_%02d", j), Value: fmt.Sprintf("value-%d-%d-some-configuration-text", i, j)}
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: fmt.Sprintf("web-%05d-7d9f8b6c5-x2k4p", i), UID: "uid",
			Labels: map[string]string{"app": "web", "pod-template-hash": "7d9f8b6c5", "team": "shop", "tier": "frontend"},
			Annotations: map[string]string{"kubectl.kubernetes.io/restartedAt": "2026-11-20T09:00:00Z",
				"prometheus.io/scrape": "true", "checksum/config": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d9f8b6c5", UID: "rs", Controller: &yes}},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: "Update", APIVersion: "v1",
				FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: make([]byte, 2048)}}}},
		Spec: corev1.PodSpec{ServiceAccountName: "default", NodeName: "10.240.0.11",
			Containers: []corev1.Container{{Name: "app", Image: "us.icr.io/shop/web:1.0", Env: env,
				Resources:    corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("512Mi")}},
				VolumeMounts: []corev1.VolumeMount{{Name: "config", MountPath: "/etc/app"}, {Name: "kube-api-access", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"}}}},
			Volumes: []corev1.Volume{{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "web-config"}}}},
				{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}}}}}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "172.30.1.2", HostIP: "10.240.0.11",
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}, {Type: corev1.ContainersReady, Status: corev1.ConditionTrue}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true, Image: "us.icr.io/shop/web:1.0",
				ImageID:     "us.icr.io/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
				ContainerID: "containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
				State:       corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
}

func heapMiB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkWatchMemory syncs 50,000 pods into the watcher's cache, with and
// without the transform, and reports the heap the cache adds (the fake API
// server's own copies are measured before and left out) and the whole heap;
// then 10 clusters of 5,000 pods, a watcher each.
func BenchmarkWatchMemory(b *testing.B) {
	for _, mode := range []string{"transform", "no-transform"} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cs := fake.NewClientset()
				for j := range 50000 {
					if err := cs.Tracker().Add(fatPod(j)); err != nil {
						b.Fatal(err)
					}
				}
				before := heapMiB()
				ctx, cancel := context.WithCancel(context.Background())
				m, err := NewManager(ctx, Options{Engine: nil, Notify: &recorder{}, Store: MemoryStore()})
				if err != nil {
					b.Fatal(err)
				}
				w, err := NewWatcher(cs, m, WatchOptions{NoTransform: mode == "no-transform", Tick: time.Hour})
				if err != nil {
					b.Fatal(err)
				}
				done := make(chan struct{})
				go func() { defer close(done); _ = w.Run(ctx) }()
				for !w.Synced() {
					runtime.Gosched()
				}
				after := heapMiB()
				if got := len(w.informer.GetStore().List()); got != 50000 {
					b.Fatalf("cache holds %d pods", got)
				}
				b.ReportMetric(after-before, "cache-MiB")
				b.ReportMetric(after, "heap-MiB")
				cancel()
				<-done
			}
		})
	}
	b.Run("10-clusters", watchMemoryClusters)
}

// watchMemoryClusters syncs 10 clusters of 5,000 pods each into one
// watcher (and manager) per cluster, as serve runs them for several
// clusters, and reports the heap the caches add per cluster and in all
// (the fake API servers' own copies are measured before and left out).
func watchMemoryClusters(b *testing.B) {
	const clusters, pods = 10, 5000
	for i := 0; i < b.N; i++ {
		var sets []*fake.Clientset
		for c := range clusters {
			cs := fake.NewClientset()
			for j := range pods {
				p := fatPod(c*pods + j)
				if err := cs.Tracker().Add(p); err != nil {
					b.Fatal(err)
				}
			}
			sets = append(sets, cs)
		}
		before := heapMiB()
		ctx, cancel := context.WithCancel(context.Background())
		var done []chan struct{}
		var watchers []*Watcher
		for c, cs := range sets {
			m, err := NewManager(ctx, Options{Cluster: fmt.Sprintf("cluster-%02d", c), Notify: &recorder{}, Store: MemoryStore()})
			if err != nil {
				b.Fatal(err)
			}
			w, err := NewWatcher(cs, m, WatchOptions{Tick: time.Hour})
			if err != nil {
				b.Fatal(err)
			}
			d := make(chan struct{})
			go func() { defer close(d); _ = w.Run(ctx) }()
			done, watchers = append(done, d), append(watchers, w)
		}
		for _, w := range watchers {
			for !w.Synced() {
				runtime.Gosched()
			}
			if got := len(w.informer.GetStore().List()); got != pods {
				b.Fatalf("cache holds %d pods", got)
			}
		}
		after := heapMiB()
		b.ReportMetric((after-before)/clusters, "cache-MiB/cluster")
		b.ReportMetric(after-before, "cache-MiB")
		b.ReportMetric(after, "heap-MiB")
		cancel()
		for _, d := range done {
			<-d
		}
	}
}

// BenchmarkDetectionLatency measures, with a grace period of 0, the time
// from a pod's status update (ImagePullBackOff) to its incident being opened
// (diagnosed and queued for posting), over 200 pods: p50 and p99.
func BenchmarkDetectionLatency(b *testing.B) {
	for i := 0; i < b.N; i++ {
		w, err := sandbox.NewWorld()
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex
		opened := map[string]time.Time{}
		m, err := NewManager(ctx, Options{Engine: w.Engine(), Offers: commands.New(commands.Options{Diagnose: w.EngineOptions(w.BotKey)}).Offers, Notify: &recorder{}, Store: MemoryStore(),
			Opened: func(inc Incident) {
				mu.Lock()
				opened[inc.Workload] = time.Now()
				mu.Unlock()
			}})
		if err != nil {
			b.Fatal(err)
		}
		wt, err := NewWatcher(w.Kube, m, WatchOptions{Grace: 0, Tick: time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); _ = wt.Run(ctx) }()
		for !wt.Synced() {
			runtime.Gosched()
		}
		w.Namespace("lat", sandbox.NamespaceSetup{Copy: true, SASecrets: []string{sandbox.AllICRIO}})
		var lat []time.Duration
		for j := range 200 {
			name := fmt.Sprintf("web%03d", j)
			pod := w.Deploy(sandbox.Workload{Namespace: "lat", Name: name, Image: "us.icr.io/shop/web:1.1", PodOnlySecrets: []string{sandbox.AllICRIO}})
			p, err := w.Kube.CoreV1().Pods("lat").Get(ctx, pod, metav1.GetOptions{})
			if err != nil {
				b.Fatal(err)
			}
			p.Status.Phase = corev1.PodPending
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff"}}}}
			start := time.Now()
			if _, err := w.Kube.CoreV1().Pods("lat").UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
				b.Fatal(err)
			}
			key := "Deployment/lat/" + name
			for {
				mu.Lock()
				t, ok := opened[key]
				mu.Unlock()
				if ok {
					lat = append(lat, t.Sub(start))
					break
				}
				runtime.Gosched()
			}
		}
		cancel()
		<-done
		w.Close()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
