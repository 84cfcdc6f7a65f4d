package demo

import (
	"reflect"
	"sync"
	"testing"

	"github.com/techmatch/techmatch/data"
)

var pipeline = sync.OnceValue(GeneratePipeline)

func TestPipelineValid(t *testing.T) {
	p := pipeline()
	if len(p.Brokers) != NumBrokers || len(p.Events) != NumEvents || len(p.Pairings) != NumPairings {
		t.Fatalf("sizes %d %d %d", len(p.Brokers), len(p.Events), len(p.Pairings))
	}
	cities := map[string]bool{}
	counties := 0
	for _, b := range p.Brokers {
		if err := b.Validate(); err != nil {
			t.Fatalf("broker %s: %v", b.ID, err)
		}
		for _, r := range b.Regions {
			cities[r.City] = true
			if r.County != "" {
				counties++
			}
		}
	}
	// The 1+10+N network: the province, every city, counties.
	for _, c := range jilinCities {
		if !cities[c.name] {
			t.Errorf("no broker in %s", c.name)
		}
	}
	if !cities[""] || counties < 20 {
		t.Errorf("provincial brokers %v, county regions %d", cities[""], counties)
	}
	for _, e := range p.Events {
		if err := e.Validate(); err != nil {
			t.Fatalf("event %s: %v", e.ID, err)
		}
	}
	status := map[data.PairingStatus]int{}
	open := map[string]bool{}
	for i := range p.Pairings {
		q := &p.Pairings[i]
		if err := q.Validate(); err != nil {
			t.Fatalf("pairing %s: %v", q.ID, err)
		}
		status[q.Status]++
		if q.Status.Open() {
			if open[q.PairKey()] {
				t.Fatalf("two open pairings of %s", q.PairKey())
			}
			open[q.PairKey()] = true
		}
		// The history is a walk of the status machine, in time order.
		for j := 1; j < len(q.History); j++ {
			h := q.History[j]
			if h.From != q.History[j-1].To || h.At.Before(q.History[j-1].At) || h.At.After(PipelineAsOf) {
				t.Fatalf("pairing %s history step %d: %+v", q.ID, j, h)
			}
			ok := false
			for _, n := range data.NextStatuses(h.From) {
				ok = ok || n == h.To
			}
			if !ok {
				t.Fatalf("pairing %s: %s → %s is not a transition", q.ID, h.From, h.To)
			}
		}
		if q.Status == data.StatusAccepted || q.Status == data.StatusNegotiating || q.Status == data.StatusSigned {
			if !q.ContactRevealed() {
				t.Fatalf("pairing %s is %s without both consents", q.ID, q.Status)
			}
		}
	}
	for _, st := range data.PairingStatuses {
		if status[st] == 0 {
			t.Errorf("no pairing is %s", st)
		}
	}
	t.Logf("statuses %v", status)
}

func TestPipelineDeterministic(t *testing.T) {
	a, b := pipeline(), GeneratePipeline()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs differ")
	}
}
