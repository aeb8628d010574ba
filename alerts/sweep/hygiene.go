package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// hygieneGrace is how long a new workload is left alone: tools that copy
// pull secrets (GitOps, operators) often do so moments after a namespace
// and its workloads appear, and a warning followed by "fixed" two minutes
// later is noise.
const hygieneGrace = 10 * time.Minute

// hygieneKeyPrefix starts the finding key of every namespace.
const hygieneKeyPrefix = "hygiene/"

// HygieneSweep looks at the pull secrets of every workload that pulls from
// icr.io and posts, per namespace, what the diagnosis of its pods would
// find: no all-icr-io copy, a copy left stale by a key rotation, a service
// account that lists no pull secret. Each namespace is posted when its
// problems change, and once more when they are gone.
type HygieneSweep struct {
	// Cluster names the cluster swept where pullcheck serves several;
	// every finding names it, and its buttons act in it. "" for the only
	// one.
	Cluster string
	Kube    kubernetes.Interface
	Store   Store
	Notify  Notifier
	// Channel is where a namespace's findings go; namespaces for which it
	// returns "" are not swept (kube-system, for example).
	Channel func(namespace string) string
	// Offers keeps the fix buttons a finding may carry: the chat service's
	// commands.Service.Allowed, which keeps none when pullcheck runs
	// read-only. Nil keeps none; a withheld fix is shown as its command.
	Offers func([]commands.Offer) []commands.Offer
	// Now defaults to time.Now; workloads younger than ten minutes are
	// judged on a later run.
	Now func() time.Time
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// Run sweeps every namespace but default, which holds the original. It
// returns what it could not read, post or store; without default/all-icr-io
// there is nothing to compare copies with, and it returns an error without
// posting or changing state.
func (h *HygieneSweep) Run(ctx context.Context) error {
	if h.Kube == nil || h.Store == nil || h.Notify == nil || h.Channel == nil {
		return errors.New("running the hygiene sweep: Kube, Store, Notify and Channel are required")
	}
	def, err := h.Kube.CoreV1().Secrets("default").Get(ctx, allICRIO, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("sweeping pull secrets: default/%s does not exist (re-apply the cluster pull secret)", allICRIO)
	}
	if err != nil {
		return fmt.Errorf("reading secret default/%s: %w", allICRIO, err)
	}
	byNS, err := scanWorkloads(ctx, h.Kube)
	if err != nil {
		return fmt.Errorf("sweeping pull secrets: %w", err)
	}
	st, err := h.Store.Load(ctx)
	if err != nil {
		return fmt.Errorf("loading sweep state: %w", err)
	}
	st.init()
	errs := h.sweep(ctx, &st, byNS, diagnose.ContentHash(def.Data))
	if err := h.Store.Save(ctx, st); err != nil {
		errs = append(errs, fmt.Errorf("saving sweep state: %w", err))
	}
	return errors.Join(errs...)
}

// sweep judges and reports every namespace with icr.io workloads, then
// the namespaces posted before that have none any more.
func (h *HygieneSweep) sweep(ctx context.Context, st *State, byNS map[string][]*workload, defaultHash string) []error {
	var errs []error
	seen := map[string]bool{}
	cutoff := h.now().Add(-hygieneGrace)
	for _, ns := range sortedKeys(byNS) {
		if ns == "default" {
			continue
		}
		ch := h.Channel(ns)
		if ch == "" {
			continue
		}
		// Seen even when every workload is new: its last post stands.
		seen[ns] = true
		wls := slices.DeleteFunc(byNS[ns], func(w *workload) bool { return w.created.After(cutoff) })
		if len(wls) == 0 {
			continue
		}
		probs, err := h.problems(ctx, ns, wls, defaultHash)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, h.report(ctx, poster{notify: h.Notify, channel: ch, state: st}, ns, probs))
	}
	for _, key := range sortedKeys(st.Posted) {
		ns, ok := strings.CutPrefix(key, hygieneKeyPrefix)
		if !ok || seen[ns] {
			continue
		}
		p := poster{notify: h.Notify, channel: h.Channel(ns), state: st}
		if p.channel == "" {
			p.remember(key, "") // no longer swept: nothing to say
			continue
		}
		errs = append(errs, h.report(ctx, p, ns, nil))
	}
	return errs
}

// report posts a namespace's problems when they differ from the last post.
func (h *HygieneSweep) report(ctx context.Context, p poster, ns string, probs []problem) error {
	key, mark := hygieneKeyPrefix+ns, ""
	if len(probs) > 0 {
		mark = SeverityWarning + " " + problemDigest(probs)
	}
	if !p.changed(key, mark) {
		return nil
	}
	f := Finding{Kind: KindHygiene, Key: key, Severity: SeverityOK,
		Title: fmt.Sprintf("Namespace %s has no pull-secret problems left", h.where(ns))}
	if len(probs) > 0 {
		f = hygieneFinding(ns, probs, h.allowed)
		f.Title = fmt.Sprintf("Namespace %s has %s", h.where(ns), plural(len(probs), "pull-secret problem"))
		f.Offers = commands.OffersIn(h.Cluster, f.Offers) // a click acts in this cluster
	}
	h.logger().Debug("hygiene sweep: posting", "namespace", ns, "problems", len(probs))
	return p.post(ctx, f, mark)
}

// hygieneFinding is the message about one namespace's problems; allowed
// keeps the fix buttons it may carry.
func hygieneFinding(ns string, probs []problem, allowed func([]commands.Offer) []commands.Offer) Finding {
	f := Finding{Kind: KindHygiene, Key: hygieneKeyPrefix + ns, Severity: SeverityWarning,
		Title: fmt.Sprintf("Namespace %s has %s", ns, plural(len(probs), "pull-secret problem"))}
	for _, p := range probs {
		f.Lines = append(f.Lines, p.line)
		o, ok := p.offer(ns)
		switch {
		case ok && len(allowed([]commands.Offer{o})) == 1:
			f.Offers = append(f.Offers, o)
		case ok:
			f.Lines = append(f.Lines, "fixes are off here; run: "+p.manual)
		case p.action != "":
			f.Lines = append(f.Lines, "no running pod to attach the fix to; run: "+p.manual)
		}
	}
	return f
}

// where names a namespace, and its cluster when there are several.
func (h *HygieneSweep) where(ns string) string {
	if h.Cluster == "" {
		return ns
	}
	return ns + " of cluster " + h.Cluster
}

// allowed keeps the offers h.Offers allows, none without it.
func (h *HygieneSweep) allowed(offers []commands.Offer) []commands.Offer {
	if h.Offers == nil {
		return nil
	}
	return h.Offers(offers)
}

// problemDigest fingerprints a set of problems, whatever their order.
func problemDigest(probs []problem) string {
	ids := make([]string, len(probs))
	for i, p := range probs {
		ids[i] = p.id
	}
	slices.Sort(ids)
	return digest(strings.Join(ids, "\n"))
}

func (h *HygieneSweep) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *HygieneSweep) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.New(slog.DiscardHandler)
}
