package data

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// FuzzTransition decodes a transition body and applies it to a pairing in
// each status: a refusal leaves the pairing as it was, a success follows
// the status machine and appends one history entry.
func FuzzTransition(f *testing.F) {
	for _, s := range []string{`{"to":"requested"}`, `{"to":"accepted","side":"achievement"}`, `{"to":"signed","contract":{"number":"1","type":"技术转让","amount_wan":1,"signed_on":"2026-01-01"}}`,
		`{"to":"closed","reason":"其他","note":"x"}`, `{"to":"requested","expires_in_days":-3}`, `{"to":"已签约"}`, `{}`} {
		f.Add(s, uint8(0), uint8(0))
	}
	parties := []Party{admin, broker, enterprise, scientist, stranger}
	f.Fuzz(func(t *testing.T, body string, from, who uint8) {
		var tr Transition
		if json.Unmarshal([]byte(body), &tr) != nil {
			return
		}
		st := PairingStatuses[int(from)%len(PairingStatuses)]
		p := pairingAt(t, st)
		before, _ := json.Marshal(p)
		err := p.Apply(tr, parties[int(who)%len(parties)], t0.Add(time.Hour))
		if err != nil {
			if after, _ := json.Marshal(p); string(after) != string(before) {
				t.Fatalf("refused %s changed the pairing", body)
			}
			if ErrorCode(err) == EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		if !slices.Contains(NextStatuses(st), p.Status) {
			t.Fatalf("%s → %s is not a transition", st, p.Status)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted %s into an invalid pairing: %v", body, err)
		}
	})
}

func FuzzContactWarnings(f *testing.F) {
	f.Add("电话：0431-85551234，邮箱 a@b.cn")
	f.Add("ZL202010000001.1")
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range ContactWarnings(&Demand{Title: s, Description: s}) {
			if w.Field != "title" && w.Field != "description" {
				t.Fatalf("warning on %s", w.Field)
			}
		}
	})
}
