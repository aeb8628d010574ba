package commands

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// groupParallelism bounds concurrent diagnoses of one deployment or namespace.
const groupParallelism = 4

// maxGroupPods bounds how many failing pods one command diagnoses.
const maxGroupPods = 50

// diagnoseGroup diagnoses every failing pod of a deployment or namespace and
// groups them by root cause: one verdict (with its fixes) per cause.
func (s *Service) diagnoseGroup(ctx context.Context, cmd Command, out Output) error {
	pods, kind, target, err := s.groupPods(ctx, cmd)
	if err != nil {
		return err
	}
	conv, err := out.Open(ctx, kind, target)
	if err != nil {
		return fmt.Errorf("opening the conversation: %w", err)
	}
	if cmd.Verb == Namespace {
		_ = conv.Note(ctx, s.namespaceSetup(ctx, cmd.Namespace))
	}
	failing := failingPods(pods)
	if len(failing) == 0 && cmd.Verb == Deployment {
		if rep, ok := s.admissionDenied(ctx, cmd.Ref); ok {
			if err := conv.Verdict(ctx, rep, s.Offers(rep)); err != nil {
				return fmt.Errorf("posting a verdict: %w", err)
			}
			return conv.Finish(ctx, rep, headline(rep))
		}
	}
	if len(failing) == 0 {
		msg := fmt.Sprintf("%d pod(s), none failing to pull its image", len(pods))
		_ = conv.Note(ctx, msg)
		return conv.Finish(ctx, nil, msg)
	}
	more := ""
	if len(failing) > maxGroupPods {
		more = fmt.Sprintf(" (diagnosing the first %d)", maxGroupPods)
		failing = failing[:maxGroupPods]
	}
	_ = conv.Note(ctx, fmt.Sprintf("%d pod(s), %d failing to pull%s", len(pods), len(failing), more))
	groups := s.byCause(ctx, failing)
	for _, g := range groups {
		_ = conv.Note(ctx, fmt.Sprintf("*%s* — %d pod(s): %s", g.cause, len(g.reports), podList(g.reports)))
		if err := conv.Verdict(ctx, g.reports[0], s.Offers(g.reports[0])); err != nil {
			return fmt.Errorf("posting a verdict: %w", err)
		}
	}
	return conv.Finish(ctx, nil, fmt.Sprintf("%d failing pod(s), %d cause(s): %s", len(failing), len(groups), causes(groups)))
}

func (s *Service) groupPods(ctx context.Context, cmd Command) ([]corev1.Pod, string, string, error) {
	pods := s.Kube.CoreV1().Pods(cmd.Ref.Namespace)
	if cmd.Verb == Namespace {
		if _, err := s.Kube.CoreV1().Namespaces().Get(ctx, cmd.Namespace, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return nil, "", "", errorf("namespace %s does not exist", cmd.Namespace)
		}
		list, err := s.Kube.CoreV1().Pods(cmd.Namespace).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, "", "", fmt.Errorf("listing pods: %w", err)
		}
		return list.Items, "namespace", cmd.Namespace, nil
	}
	d, err := s.Kube.AppsV1().Deployments(cmd.Ref.Namespace).Get(ctx, cmd.Ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, "", "", errorf("deployment %s does not exist", cmd.Ref)
	}
	if err != nil {
		return nil, "", "", fmt.Errorf("reading deployment: %w", err)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, "", "", fmt.Errorf("deployment selector: %w", err)
	}
	list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, "", "", fmt.Errorf("listing pods: %w", err)
	}
	var own []corev1.Pod
	for _, p := range list.Items {
		if sel.Matches(labelSet(p.Labels)) { // not every client applies selectors
			own = append(own, p)
		}
	}
	return own, "deployment", cmd.Ref.String(), nil
}

type causeGroup struct {
	cause   string
	reports []*diagnose.Report
}

// byCause diagnoses pods concurrently and groups them, largest group first.
func (s *Service) byCause(ctx context.Context, pods []corev1.Pod) []causeGroup {
	reps := make([]*diagnose.Report, len(pods))
	sem := make(chan struct{}, groupParallelism)
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			reps[i] = s.Engine.Diagnose(ctx, diagnose.Request{Namespace: p.Namespace, Pod: p.Name}, nil)
		}()
	}
	wg.Wait()
	idx := map[string]int{}
	var groups []causeGroup
	for _, r := range reps {
		c := string(r.Verdict)
		if r.RootCause != nil {
			c = string(r.RootCause.ID)
		}
		if _, ok := idx[c]; !ok {
			idx[c] = len(groups)
			groups = append(groups, causeGroup{cause: c})
		}
		groups[idx[c]].reports = append(groups[idx[c]].reports, r)
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].reports) > len(groups[j].reports) })
	return groups
}

// failingPods keeps the pods with a container that cannot pull its image.
func failingPods(pods []corev1.Pod) []corev1.Pod {
	var out []corev1.Pod
	for _, p := range pods {
		if len(diagnose.FailingContainers(&p)) > 0 {
			out = append(out, p)
		}
	}
	return out
}

func podList(reps []*diagnose.Report) string {
	var names []string
	for i, r := range reps {
		if i == 10 {
			names = append(names, fmt.Sprintf("and %d more", len(reps)-10))
			break
		}
		names = append(names, r.Request.Pod)
	}
	return strings.Join(names, ", ")
}

func causes(groups []causeGroup) string {
	var out []string
	for _, g := range groups {
		out = append(out, fmt.Sprintf("%s ×%d", g.cause, len(g.reports)))
	}
	return strings.Join(out, ", ")
}

// admissionDenied diagnoses a deployment whose pods may never have been
// created: an admission webhook that refuses them leaves FailedCreate events
// on its ReplicaSets and no pod to fail a pull. The chain looks for them when
// asked about a pod that does not exist, here one named like the deployment.
func (s *Service) admissionDenied(ctx context.Context, ref ObjectRef) (*diagnose.Report, bool) {
	rep := s.Engine.Diagnose(ctx, diagnose.Request{Namespace: ref.Namespace, Pod: ref.Name}, nil)
	return rep, rep.RootCause != nil && rep.RootCause.ID == diagnose.ImageAdmissionDenied
}
