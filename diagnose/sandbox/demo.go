package sandbox

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Demo is the sandbox the product's demo runs: the main cluster with every
// scenario, and a fresh cluster for those that need one.
type Demo struct {
	Main, Fresh *World
	Cases       []Case
}

// Case is one scenario built in a world.
type Case struct {
	Scenario
	Request diagnose.Request
	World   *World
}

// NewDemo builds every scenario. Close it when done.
func NewDemo(opts ...Option) (*Demo, error) {
	main, err := NewWorld(opts...)
	if err != nil {
		return nil, err
	}
	fresh, err := NewWorld(append(opts, WithoutClusterPullSecret())...)
	if err != nil {
		main.Close()
		return nil, err
	}
	dm := &Demo{Main: main, Fresh: fresh}
	for _, s := range Scenarios {
		w := main
		if s.Fresh {
			w = fresh
		}
		pod := s.Build(w)
		dm.Cases = append(dm.Cases, Case{Scenario: s, Request: diagnose.Request{Namespace: s.Name, Pod: pod}, World: w})
	}
	return dm, nil
}

// Close stops both worlds.
func (dm *Demo) Close() {
	dm.Main.Close()
	dm.Fresh.Close()
}

// Find returns the case diagnosing namespace/pod or the scenario named name.
func (dm *Demo) Find(name string) (Case, error) {
	for _, c := range dm.Cases {
		if c.Name == name || c.Request.String() == name {
			return c, nil
		}
	}
	return Case{}, fmt.Errorf("no sandbox workload %q (run 'pullcheck demo' for the list)", name)
}

// Run diagnoses every case, each with its world's engine.
func (dm *Demo) Run(ctx context.Context) []*diagnose.Report {
	engines := map[*World]*diagnose.Engine{dm.Main: dm.Main.Engine(), dm.Fresh: dm.Fresh.Engine()}
	reps := make([]*diagnose.Report, len(dm.Cases))
	for i, c := range dm.Cases {
		reps[i] = engines[c.World].Diagnose(ctx, c.Request, nil)
	}
	return reps
}
