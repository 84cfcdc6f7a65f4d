package data

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

var (
	admin      = Party{Actor: Actor{TokenID: "tok-admin", Role: RoleAdmin}, Admin: true}
	broker     = Party{Actor: Actor{TokenID: "tok-broker", Role: RoleBroker}, Broker: true}
	enterprise = Party{Actor: Actor{TokenID: "tok-ent", Role: RoleEnterprise}, Sides: []Side{SideDemand}}
	scientist  = Party{Actor: Actor{TokenID: "tok-sci", Role: RoleScientist}, Sides: []Side{SideAchievement}}
	stranger   = Party{Actor: Actor{TokenID: "tok-x", Role: RoleEnterprise}}
)

var goodContract = &Contract{Number: "2026220100000123", Type: "技术转让", AmountWan: 120, SignedOn: "2026-04-01", Office: "吉林省技术市场管理办公室"}

// pairingAt returns a pairing brought to status st by the usual path.
func pairingAt(t *testing.T, st PairingStatus) *Pairing {
	t.Helper()
	p := &Pairing{ID: "p1", DemandID: "d1", AchievementID: "a1", Source: SourceMatch, Status: StatusRecommended, Created: t0,
		History: []HistoryEntry{{To: StatusRecommended, At: t0}}}
	steps := map[PairingStatus][]Transition{
		StatusRecommended: nil,
		StatusRequested:   {{To: StatusRequested}},
		StatusAccepted:    {{To: StatusRequested}, {To: StatusAccepted}},
		StatusNegotiating: {{To: StatusRequested}, {To: StatusAccepted}, {To: StatusNegotiating}},
		StatusSigned:      {{To: StatusRequested}, {To: StatusAccepted}, {To: StatusSigned, Contract: goodContract}},
		StatusDeclined:    {{To: StatusRequested}, {To: StatusDeclined}},
		StatusClosed:      {{To: StatusClosed, Reason: "价格不符"}},
	}
	if st == StatusExpired {
		if err := p.Apply(Transition{To: StatusRequested}, enterprise, t0); err != nil {
			t.Fatal(err)
		}
		if !p.Expire(t0.Add(15 * 24 * time.Hour)) {
			t.Fatal("request did not expire")
		}
		return p
	}
	for i, tr := range steps[st] {
		who := enterprise
		if i == 1 {
			who = scientist
		}
		if err := p.Apply(tr, who, t0.Add(time.Duration(i+1)*time.Hour)); err != nil {
			t.Fatalf("bring to %s, step %s: %v", st, tr.To, err)
		}
	}
	if p.Status != st {
		t.Fatalf("status %s, want %s", p.Status, st)
	}
	return p
}

// TestStatusMachine tries every transition from every status, as an admin
// (who may make any transition the machine has), and checks the machine
// refuses the rest with 409 naming the allowed next states.
func TestStatusMachine(t *testing.T) {
	allowed := map[PairingStatus][]PairingStatus{
		StatusRecommended: {StatusRequested, StatusClosed},
		StatusRequested:   {StatusAccepted, StatusDeclined, StatusExpired, StatusClosed},
		StatusAccepted:    {StatusNegotiating, StatusSigned, StatusClosed},
		StatusNegotiating: {StatusSigned, StatusClosed},
		StatusSigned:      {},
		StatusDeclined:    {StatusRecommended},
		StatusExpired:     {StatusRecommended},
		StatusClosed:      {StatusRecommended},
	}
	for _, from := range PairingStatuses {
		for _, to := range PairingStatuses {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				p := pairingAt(t, from)
				tr := Transition{To: to, Side: SideAchievement}
				if to == StatusRequested {
					tr.Side = SideDemand
				}
				if to == StatusSigned {
					tr.Contract = goodContract
				}
				if to == StatusClosed {
					tr.Reason = "方向不符"
				}
				before := len(p.History)
				err := p.Apply(tr, admin, t0.Add(24*time.Hour))
				want := slices.Contains(allowed[from], to)
				if want {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if p.Status != to || len(p.History) != before+1 {
						t.Fatalf("status %s history %d", p.Status, len(p.History))
					}
					h := p.History[len(p.History)-1]
					if h.From != from || h.To != to || h.By.TokenID != "tok-admin" {
						t.Fatalf("history entry %+v", h)
					}
					return
				}
				if ErrorCode(err) != ECONFLICT {
					t.Fatalf("err = %v, want conflict", err)
				}
				if p.Status != from || len(p.History) != before {
					t.Fatal("a refused transition changed the pairing")
				}
				msg := ErrorMessage(err)
				for _, n := range allowed[from] {
					if !strings.Contains(msg, n.Label()) {
						t.Errorf("message %q does not name allowed state %s", msg, n.Label())
					}
				}
				if !strings.Contains(msg, from.Label()) {
					t.Errorf("message %q does not name the current state", msg)
				}
			})
		}
	}
}

func TestTransitionRights(t *testing.T) {
	tests := []struct {
		name string
		from PairingStatus
		tr   Transition
		who  Party
		code string // "" = allowed
	}{
		{"enterprise requests", StatusRecommended, Transition{To: StatusRequested}, enterprise, ""},
		{"scientist requests", StatusRecommended, Transition{To: StatusRequested}, scientist, ""},
		{"stranger requests", StatusRecommended, Transition{To: StatusRequested}, stranger, EFORBIDDEN},
		{"broker requests without side", StatusRecommended, Transition{To: StatusRequested}, broker, EINVALID},
		{"broker requests for a side", StatusRecommended, Transition{To: StatusRequested, Side: SideAchievement}, broker, ""},
		{"enterprise speaks for achievement", StatusRecommended, Transition{To: StatusRequested, Side: SideAchievement}, enterprise, EFORBIDDEN},
		{"requester accepts own request", StatusRequested, Transition{To: StatusAccepted}, enterprise, EFORBIDDEN},
		{"other side accepts", StatusRequested, Transition{To: StatusAccepted}, scientist, ""},
		{"other side declines", StatusRequested, Transition{To: StatusDeclined}, scientist, ""},
		{"requester declines", StatusRequested, Transition{To: StatusDeclined}, enterprise, EFORBIDDEN},
		{"broker accepts for other side", StatusRequested, Transition{To: StatusAccepted}, broker, ""},
		{"party marks expired", StatusRequested, Transition{To: StatusExpired}, scientist, EFORBIDDEN},
		{"sign without contract", StatusAccepted, Transition{To: StatusSigned}, enterprise, EINVALID},
		{"sign with bad contract", StatusAccepted, Transition{To: StatusSigned, Contract: &Contract{Number: "x", Type: "赠送", AmountWan: 0, SignedOn: "明天"}}, enterprise, EINVALID},
		{"sign", StatusNegotiating, Transition{To: StatusSigned, Contract: goodContract}, scientist, ""},
		{"close without reason", StatusNegotiating, Transition{To: StatusClosed}, enterprise, EINVALID},
		{"close 其他 without note", StatusNegotiating, Transition{To: StatusClosed, Reason: "其他"}, enterprise, EINVALID},
		{"close 其他 with note", StatusNegotiating, Transition{To: StatusClosed, Reason: "其他", Note: "企业搬迁"}, enterprise, ""},
		{"contract on a non-signing move", StatusAccepted, Transition{To: StatusNegotiating, Contract: goodContract}, enterprise, EINVALID},
		{"party reopens", StatusClosed, Transition{To: StatusRecommended}, enterprise, EFORBIDDEN},
		{"broker reopens", StatusDeclined, Transition{To: StatusRecommended}, broker, EFORBIDDEN},
		{"admin reopens", StatusExpired, Transition{To: StatusRecommended}, admin, ""},
		{"unknown status", StatusAccepted, Transition{To: "won"}, admin, EINVALID},
		{"request too long", StatusRecommended, Transition{To: StatusRequested, ExpiresInDays: 999}, enterprise, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pairingAt(t, tt.from)
			err := p.Apply(tt.tr, tt.who, t0.Add(48*time.Hour))
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			if err != nil && p.Status != tt.from {
				t.Fatalf("refused transition moved the pairing to %s", p.Status)
			}
		})
	}
}

// TestConsent checks that contact is revealed exactly when both sides agreed,
// and that reopening withdraws it.
func TestConsent(t *testing.T) {
	p := pairingAt(t, StatusRecommended)
	step := func(tr Transition, who Party, wantRevealed bool) {
		t.Helper()
		if err := p.Apply(tr, who, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if p.ContactRevealed() != wantRevealed {
			t.Fatalf("after %s: revealed = %v", tr.To, !wantRevealed)
		}
	}
	if p.ContactRevealed() {
		t.Fatal("revealed on recommendation")
	}
	step(Transition{To: StatusRequested}, scientist, false)
	if p.RequestedBy != SideAchievement || p.Consent.Achievement == nil || p.Consent.Demand != nil {
		t.Fatalf("consent after request: %+v by %s", p.Consent, p.RequestedBy)
	}
	step(Transition{To: StatusAccepted}, enterprise, true)
	step(Transition{To: StatusNegotiating}, broker, true)
	step(Transition{To: StatusClosed, Reason: "价格不符"}, enterprise, true)
	step(Transition{To: StatusRecommended}, admin, false)

	// A declined request reveals nothing.
	q := pairingAt(t, StatusRequested)
	if err := q.Apply(Transition{To: StatusDeclined}, scientist, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if q.ContactRevealed() {
		t.Fatal("a declined request revealed contact")
	}
}

// TestExpiry runs a fake clock over a request: it stays open until the
// instant it expires, then it is expired and an answer is refused.
func TestExpiry(t *testing.T) {
	for _, tt := range []struct {
		name string
		days int
		want time.Duration
	}{
		{"default 14 days", 0, 14 * 24 * time.Hour},
		{"3 days", 3, 3 * 24 * time.Hour},
		{"60 days", 60, 60 * 24 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pairingAt(t, StatusRecommended)
			sent := t0.Add(time.Hour)
			if err := p.Apply(Transition{To: StatusRequested, ExpiresInDays: tt.days}, enterprise, sent); err != nil {
				t.Fatal(err)
			}
			if got := p.ExpiresAt.Sub(sent); got != tt.want {
				t.Fatalf("expires after %v, want %v", got, tt.want)
			}
			if p.Expire(sent.Add(tt.want - time.Second)) {
				t.Fatal("expired a second early")
			}
			// Answering a second early still works on a copy.
			early := *p
			if err := early.Apply(Transition{To: StatusAccepted}, scientist, sent.Add(tt.want-time.Second)); err != nil {
				t.Fatalf("answer before expiry refused: %v", err)
			}
			// At the instant, an answer finds the request expired.
			late := *p
			err := late.Apply(Transition{To: StatusAccepted}, scientist, sent.Add(tt.want))
			if ErrorCode(err) != ECONFLICT || late.Status != StatusExpired {
				t.Fatalf("answer at expiry: %v, status %s", err, late.Status)
			}
			h := late.History[len(late.History)-1]
			if h.To != StatusExpired || !h.At.Equal(*p.ExpiresAt) || h.By != SystemActor {
				t.Fatalf("expiry history %+v", h)
			}
			if !p.Expire(sent.Add(tt.want)) || p.Status != StatusExpired {
				t.Fatal("Expire at the instant did nothing")
			}
			if p.Expire(sent.Add(2 * tt.want)) {
				t.Fatal("expired twice")
			}
		})
	}
	// Accepted requests never expire.
	p := pairingAt(t, StatusAccepted)
	if p.Expire(t0.Add(365 * 24 * time.Hour)) {
		t.Fatal("an accepted pairing expired")
	}
}

func TestPairingJSONLabels(t *testing.T) {
	p := pairingAt(t, StatusNegotiating)
	b, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"status":"negotiating"`, `"status_label":"洽谈中"`, `"to_label":"双方同意"`, `"source_label":"智能匹配"`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s: %s", want, s)
		}
	}
	var back Pairing
	if err := back.UnmarshalJSON(b); err != nil || back.Status != StatusNegotiating || len(back.History) != len(p.History) {
		t.Fatalf("round trip: %v %+v", err, back)
	}
}
