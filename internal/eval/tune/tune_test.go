package tune

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/techmatch/techmatch/matcher"
)

// synthetic makes demands whose candidates' grades follow signal "chars"
// and whose "title" is noise, so a learner must weigh chars over title.
func synthetic(n, cands int, seed uint64) []Query {
	rng := rand.New(rand.NewPCG(seed, 1))
	var qs []Query
	for i := 0; i < n; i++ {
		q := Query{ID: fmt.Sprintf("q%03d", i)}
		for j := 0; j < cands; j++ {
			v := make([]float64, matcher.NumSignals)
			for k, s := range matcher.Signals {
				v[k] = s.Neutral
			}
			good := rng.Float64()
			v[matcher.SignalIndex(matcher.SignalChars)] = good
			v[matcher.SignalIndex(matcher.SignalTitle)] = rng.Float64()
			v[matcher.SignalIndex(matcher.SignalText)] = 0.5*good + 0.5*rng.Float64()
			g := 0
			switch {
			case good > 0.9:
				g = 3
			case good > 0.7:
				g = 2
			case good > 0.5:
				g = 1
			}
			q.IDs = append(q.IDs, fmt.Sprintf("a%03d", j))
			q.Signals = append(q.Signals, v)
			q.Grades = append(q.Grades, g)
		}
		qs = append(qs, q)
	}
	return qs
}

func TestTune(t *testing.T) {
	qs := synthetic(60, 30, 7)
	init := matcher.Weights{Version: "init", Signals: map[string]float64{matcher.SignalText: 1, matcher.SignalChars: 0.1, matcher.SignalTitle: 1}}
	w, rep, err := Fit(qs, init, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Signals[matcher.SignalChars] <= w.Signals[matcher.SignalTitle] {
		t.Errorf("chars should outweigh the noise: %v", w.Signals)
	}
	if rep.After <= rep.Before || rep.CV == nil || rep.CV.After <= rep.CV.Before {
		t.Errorf("tuning did not help: %+v %+v", rep, rep.CV)
	}
	if len(rep.CV.FoldAfter) != 5 || rep.Queries != 60 || rep.Pairs != 1800 {
		t.Errorf("report: %+v", rep)
	}
	for _, f := range rep.Free {
		if f != matcher.SignalChars && f != matcher.SignalTitle {
			t.Errorf("signal %s does not vary but was fitted", f)
		}
	}
	w2, _, _ := Fit(qs, init, Options{})
	if !reflect.DeepEqual(w.Signals, w2.Signals) {
		t.Errorf("tuning is not deterministic: %v %v", w.Signals, w2.Signals)
	}
	if w.Tuning == nil || w.Version != "init" {
		t.Errorf("tuned weights: %+v", w)
	}
	if got := round4(NDCG(qs, w, 10)); got != rep.After {
		t.Errorf("NDCG %v, report %v", got, rep.After)
	}
}

func TestFull(t *testing.T) {
	qs := synthetic(40, 30, 3)
	var fs []Full
	for _, q := range qs {
		rel := map[string]int{}
		for i, id := range q.IDs {
			rel[id] = q.Grades[i]
		}
		rel["missing"] = 1 // relevant, never a candidate: recall < 1
		fs = append(fs, Full{ID: q.ID, IDs: q.IDs[:20], Signals: q.Signals[:20], Rel: rel})
	}
	init := matcher.Weights{Signals: map[string]float64{matcher.SignalText: 1, matcher.SignalChars: 0.1, matcher.SignalTitle: 1}}
	w, rep, err := Fit(qs, init, Options{Full: fs, Folds: 4})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RecallAfter < rep.RecallBefore || rep.RecallAfter >= 1 || rep.CV.RecallAfter == 0 {
		t.Errorf("recall %v → %v (cv %v)", rep.RecallBefore, rep.RecallAfter, rep.CV.RecallAfter)
	}
	if r := round4(Recall(fs, w, 100)); r != rep.RecallAfter {
		t.Errorf("FullRecall %v, report %v", r, rep.RecallAfter)
	}
}

func TestTuneErrors(t *testing.T) {
	init := matcher.DefaultWeights()
	if _, _, err := Fit(nil, init, Options{}); err == nil {
		t.Error("no data: no error")
	}
	qs := synthetic(3, 5, 1)
	qs[0].Grades = qs[0].Grades[:2]
	if _, _, err := Fit(qs, init, Options{}); err == nil {
		t.Error("ragged data: no error")
	}
	qs = synthetic(3, 5, 1)
	if _, _, err := Fit(qs, init, Options{Free: []string{"colour"}}); err == nil {
		t.Error("unknown free signal: no error")
	}
	zero := synthetic(3, 5, 1)
	for i := range zero {
		for j := range zero[i].Grades {
			zero[i].Grades[j] = 0
		}
	}
	if _, _, err := Fit(zero, init, Options{}); err == nil {
		t.Error("nothing relevant: no error")
	}
}
