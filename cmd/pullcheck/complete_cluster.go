package main

import (
	"context"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
)

// pods completes a pod argument: "<namespace>/<pod>", or a pod's name when
// its namespace is known (-n, or the context's as kubectl's plugin). Before
// the "/", it offers the namespaces.
func (c completer) pods(ctx context.Context, f diagnoseFlags, cur string) ([]candidate, int) {
	if ns, _, ok := strings.Cut(cur, "/"); ok {
		return matching(c.podsIn(ctx, f, ns, ns+"/"), cur), directiveNoFiles
	}
	ns := f.namespace
	if ns == "" && c.plugin {
		ns, _, _ = f.clientConfig().Namespace()
	}
	if ns != "" {
		return matching(c.podsIn(ctx, f, ns, ""), cur), directiveNoFiles
	}
	nss := c.namespaces(ctx, f)
	for i := range nss {
		nss[i].value += "/"
	}
	return matching(nss, cur), directiveNoFiles | directiveNoSpace
}

// podsIn lists the pods of ns, each described by what it waits on.
func (c completer) podsIn(ctx context.Context, f diagnoseFlags, ns, prefix string) []candidate {
	kube, err := c.kube(f)
	if err != nil {
		return nil
	}
	list, err := kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	cands := make([]candidate, 0, len(list.Items))
	for i := range list.Items {
		p := &list.Items[i]
		cands = append(cands, candidate{prefix + p.Name, podState(p)})
	}
	sortCandidates(cands)
	return cands
}

// podState is the first waiting reason of the pod's containers
// (ImagePullBackOff …), else its phase.
func podState(p *corev1.Pod) string {
	for _, statuses := range [][]corev1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses, p.Status.EphemeralContainerStatuses} {
		for _, s := range statuses {
			if s.State.Waiting != nil && s.State.Waiting.Reason != "" {
				return s.State.Waiting.Reason
			}
		}
	}
	return string(p.Status.Phase)
}

func (c completer) namespaces(ctx context.Context, f diagnoseFlags) []candidate {
	kube, err := c.kube(f)
	if err != nil {
		return nil
	}
	list, err := kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	cands := make([]candidate, 0, len(list.Items))
	for _, ns := range list.Items {
		cands = append(cands, candidate{value: ns.Name})
	}
	sortCandidates(cands)
	return cands
}

// containers lists the containers of the pod the line names already.
func (c completer) containers(ctx context.Context, spec commandSpec, f diagnoseFlags, pos []string) []candidate {
	i := slices.Index(spec.args, argPod)
	if i < 0 || i >= len(pos) {
		return nil
	}
	arg, err := f.qualify(pos[i])
	if err != nil {
		return nil
	}
	ref, err := commands.ParseObjectRef("pod", arg)
	if err != nil {
		return nil
	}
	kube, err := c.kube(f)
	if err != nil {
		return nil
	}
	p, err := kube.CoreV1().Pods(ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	var cands []candidate
	for _, ct := range p.Spec.InitContainers {
		cands = append(cands, candidate{ct.Name, "init: " + ct.Image})
	}
	for _, ct := range p.Spec.Containers {
		cands = append(cands, candidate{ct.Name, ct.Image})
	}
	for _, ct := range p.Spec.EphemeralContainers {
		cands = append(cands, candidate{ct.Name, "ephemeral: " + ct.Image})
	}
	return cands
}

// kubeconfigNames lists the kubeconfig's contexts, clusters or users.
func kubeconfigNames(f diagnoseFlags, kind string) []candidate {
	raw, err := f.clientConfig().RawConfig()
	if err != nil {
		return nil
	}
	var cands []candidate
	switch kind {
	case "context":
		for name, ctx := range raw.Contexts {
			cands = append(cands, candidate{name, ctx.Cluster})
		}
	case "cluster":
		for name, cl := range raw.Clusters {
			cands = append(cands, candidate{name, cl.Server})
		}
	case "user":
		for name := range raw.AuthInfos {
			cands = append(cands, candidate{value: name})
		}
	}
	sortCandidates(cands)
	return cands
}
