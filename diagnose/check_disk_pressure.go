package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/pullerr"
)

// checkDiskPressure: the node must have room to download and unpack the
// image's layers: containerd answers "no space left on device", and a node
// in DiskPressure garbage-collects images and refuses new pods.
func checkDiskPressure(ctx context.Context, t *Target) (Result, error) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return Result{}, err
	}
	node := pf.pod.Spec.NodeName
	if node == "" {
		return Result{}, skip("the pod is not scheduled on a node yet")
	}
	plat, perr := t.platform(ctx)
	np, nodeSaid := t.nodePullError(ctx)
	full := nodeSaid && np.class == pullerr.DiskFull
	if !full {
		full = t.anyEventSays(ctx, pullerr.DiskFull)
	}
	var facts []Fact
	if dp := plat.diskPressure; dp != nil {
		facts = append(facts, fact("node "+node, "DiskPressure=True since %s: %s", dp.LastTransitionTime.UTC().Format(timeLayout), truncate(dp.Message, 200)))
	}
	if nodeSaid && np.class == pullerr.DiskFull {
		facts = append(facts, np.fact(node))
	}
	switch {
	case plat.diskPressure == nil && !full && perr != nil:
		return Result{}, perr
	case plat.diskPressure == nil && !full:
		return pass(fmt.Sprintf("node %s reports no disk pressure", node))
	}
	return fail(fmt.Sprintf("node %s has no room for the image's layers (disk pressure)", node), diskRemedies(node), facts...)
}

// anyEventSays reports whether a pull event of the pod states class.
func (t *Target) anyEventSays(ctx context.Context, class pullerr.Class) bool {
	evs, err := t.kubeletEvents(ctx)
	if err != nil {
		return false
	}
	for _, ev := range evs {
		if ev.Class == class {
			return true
		}
	}
	return false
}

func diskRemedies(node string) []Remedy {
	return []Remedy{
		manualRemedy("Free the node's image store", "Removes images no container uses from the node's containerd.",
			fmt.Sprintf("kubectl debug node/%s -it --image=busybox -- chroot /host crictl rmi --prune", node)),
		manualRemedy("Replace or resize the worker", "A new worker starts with an empty disk; a larger flavor or secondary storage gives room for big images.",
			fmt.Sprintf("ibmcloud ks worker replace --cluster <cluster> --worker <worker ID of node %s>", node)),
	}
}
