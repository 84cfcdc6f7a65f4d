package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketApplications = []byte("applications")
	// bucketPledges maps a challenge id to its 军令状.
	bucketPledges = []byte("pledges")
)

const (
	kindApplication data.Kind = "applications"
	kindPledge      data.Kind = "pledges"
)

var _ data.ApplicationStore = (*DB)(nil)

func init() { pairingBuckets = append(pairingBuckets, bucketApplications, bucketPledges) }

// PutApplication validates and stores an application, one per team per
// challenge.
func (db *DB) PutApplication(ctx context.Context, a *data.Application, by data.Actor) (bool, error) {
	if err := a.Validate(); err != nil {
		return false, err
	}
	now := db.Now().UTC()
	created := false
	err := db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketChallenges).Get([]byte(a.ChallengeID)) == nil {
			return data.Errorf(data.ENOTFOUND, "揭榜项目 %q 不存在", a.ChallengeID)
		}
		b := tx.Bucket(bucketApplications)
		err := b.ForEach(func(k, v []byte) error {
			var other data.Application
			if err := json.Unmarshal(v, &other); err != nil {
				return err
			}
			if other.ID != a.ID && other.TeamKey() == a.TeamKey() {
				return data.Errorf(data.ECONFLICT, "团队“%s”（%s）已申请过这个揭榜项目（申请 %s），请修改原申请", a.Team.Name, a.Team.Institution, other.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if a.ID == "" {
			if a.ID, err = nextID(b, "ap-"); err != nil {
				return err
			}
		}
		if old := b.Get([]byte(a.ID)); old != nil {
			var prev data.Application
			if err := json.Unmarshal(old, &prev); err != nil {
				return err
			}
			a.Created, a.Owner, a.Awarded = prev.Created, prev.Owner, prev.Awarded
		} else {
			created, a.Created = true, now
		}
		a.Updated = now
		if err := putJSON(tx, bucketApplications, kindApplication, a.ID, a); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "application.put", Object: "applications/" + a.ID,
			Detail: fmt.Sprintf("揭榜项目 %s，团队 %s（%s）", a.ChallengeID, a.Team.Name, a.Team.Institution)})
	})
	return created, err
}

// Application returns one application or ENOTFOUND.
func (db *DB) Application(ctx context.Context, id string) (*data.Application, error) {
	return getJSON[data.Application](db, bucketApplications, id, "揭榜申请")
}

// Applications returns a challenge's applications in id order.
func (db *DB) Applications(ctx context.Context, challengeID string) ([]data.Application, error) {
	return listJSON(db, bucketApplications, func(a *data.Application) bool { return a.ChallengeID == challengeID })
}

// Award stores a winner's pairing, its pledge and the awarded mark in one
// transaction, within the list's awards per challenge.
func (db *DB) Award(ctx context.Context, appID string, p *data.Pairing, by data.Actor) (*data.Pledge, error) {
	now := db.Now().UTC()
	var pledge *data.Pledge
	err := db.update(func(tx *bolt.Tx) error {
		app, err := getIn[data.Application](tx, bucketApplications, appID, "揭榜申请")
		if err != nil {
			return err
		}
		ch, err := getIn[data.Challenge](tx, bucketChallenges, app.ChallengeID, "揭榜项目")
		if err != nil {
			return err
		}
		l, err := getIn[data.ChallengeList](tx, bucketChallengeLists, ch.ListID, "榜单")
		if err != nil {
			return err
		}
		if l.Status != data.ListClosed {
			return data.Errorf(data.ECONFLICT, "榜单“%s”%s：只有已截止的榜单可以揭榜授予", l.Title, l.Status.Label())
		}
		if app.Awarded {
			return data.Errorf(data.ECONFLICT, "申请 %s（%s）已获授予，不能重复授予", app.ID, app.Team.Name)
		}
		n := 0
		if err := eachPledge(tx, ch.ID, func([]byte, *data.Pledge) error { n++; return nil }); err != nil {
			return err
		}
		if limit := l.AwardsPerChallenge(); n >= limit {
			return data.Errorf(data.ECONFLICT, "揭榜项目 %s 已授予 %d 个团队，榜单“%s”每个项目最多授予 %d 个（max_awards）", ch.ID, n, l.Title, limit)
		}
		note := fmt.Sprintf("揭榜挂帅授予：揭榜项目 %s（榜单 %s），申请 %s（%s）", ch.ID, l.ID, app.ID, app.Team.Name)
		if err := awardPairing(tx, now, p, by, note); err != nil {
			return err
		}
		pledge = &data.Pledge{ChallengeID: ch.ID, ApplicationID: app.ID, PairingID: p.ID, Created: now, Milestones: []data.Milestone{}}
		for _, m := range ch.Milestones {
			pledge.Milestones = append(pledge.Milestones, data.Milestone{MilestoneTerm: m})
		}
		if err := putJSON(tx, bucketPledges, kindPledge, pledgeKey(ch.ID, app.ID), pledge); err != nil {
			return err
		}
		app.Awarded, app.Updated = true, now
		if err := putJSON(tx, bucketApplications, kindApplication, app.ID, app); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "challenge.award", Object: "challenges/" + ch.ID,
			Detail: fmt.Sprintf("授予申请 %s（%s），对接 %s", app.ID, app.Team.Name, p.ID)})
	})
	return pledge, err
}

// awardPairing gives an award its pairing: a new one from p (source
// challenge), or, when the pair already has an open pairing, that one —
// its brokers' work goes on, its source stays how it began, and the award
// is written into its history (a step that keeps its status) and the
// audit log. p.ID is set either way.
func awardPairing(tx *bolt.Tx, now time.Time, p *data.Pairing, by data.Actor, note string) error {
	if cur := tx.Bucket(bucketOpenPairs).Get([]byte(p.PairKey())); cur != nil {
		open, err := getPairing(tx, string(cur))
		if err != nil {
			return err
		}
		open.History = append(open.History, data.HistoryEntry{From: open.Status, To: open.Status, By: by, At: now, Note: note})
		open.Updated = now
		if err := putPairing(tx, open); err != nil {
			return err
		}
		p.ID = open.ID
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditPairingAward, Object: "pairings/" + open.ID, Detail: note})
	}
	p.Status, p.Created, p.Updated = data.StatusRecommended, now, now
	p.History = []data.HistoryEntry{{To: data.StatusRecommended, By: by, At: now, Note: note}}
	if err := p.Validate(); err != nil {
		return err
	}
	id, err := nextID(tx.Bucket(bucketPairings), "p-")
	if err != nil {
		return err
	}
	p.ID = id
	if err := putPairing(tx, p); err != nil {
		return err
	}
	return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditPairingCreate, Object: "pairings/" + p.ID, Detail: note})
}

// pledgeKey is where an award's pledge is kept: by challenge, then
// application.
func pledgeKey(challengeID, appID string) string { return challengeID + "\x00" + appID }

// eachPledge calls fn with each pledge of a challenge and its key. Stores
// written before a challenge could have several awards keep its one
// pledge under the challenge id alone; it is found too.
func eachPledge(tx *bolt.Tx, challengeID string, fn func(k []byte, p *data.Pledge) error) error {
	b := tx.Bucket(bucketPledges)
	if b == nil {
		return nil
	}
	prefix := []byte(challengeID + "\x00")
	c := b.Cursor()
	for k, v := c.Seek([]byte(challengeID)); k != nil && (string(k) == challengeID || bytes.HasPrefix(k, prefix)); k, v = c.Next() {
		var p data.Pledge
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode pledge %q: %w", k, err)
		}
		if err := fn(k, &p); err != nil {
			return err
		}
	}
	return nil
}

// Pledges returns a challenge's pledges in award order.
func (db *DB) Pledges(ctx context.Context, challengeID string) ([]data.Pledge, error) {
	out := []data.Pledge{}
	err := db.db.View(func(tx *bolt.Tx) error {
		return eachPledge(tx, challengeID, func(_ []byte, p *data.Pledge) error { out = append(out, *p); return nil })
	})
	slices.SortStableFunc(out, func(a, b data.Pledge) int { return a.Created.Compare(b.Created) })
	return out, err
}

// findPledge returns the key of an application's pledge on a challenge.
func (db *DB) findPledge(challengeID, appID string) (string, error) {
	var key string
	err := db.db.View(func(tx *bolt.Tx) error {
		return eachPledge(tx, challengeID, func(k []byte, p *data.Pledge) error {
			if p.ApplicationID == appID {
				key = string(k)
			}
			return nil
		})
	})
	if err == nil && key == "" {
		err = data.Errorf(data.ENOTFOUND, "揭榜项目 %q 没有授予申请 %q 的军令状：请先揭榜授予", challengeID, appID)
	}
	return key, err
}

// Pledge returns the pledge of an awarded application or ENOTFOUND.
func (db *DB) Pledge(ctx context.Context, challengeID, appID string) (*data.Pledge, error) {
	key, err := db.findPledge(challengeID, appID)
	if err != nil {
		return nil, err
	}
	return getJSON[data.Pledge](db, bucketPledges, key, "军令状")
}

// UpdatePledge changes a pledge with fn in one transaction.
func (db *DB) UpdatePledge(ctx context.Context, challengeID, appID string, by data.Actor, fn func(p *data.Pledge) error) (*data.Pledge, error) {
	// A pledge never moves, so its key found before the write is its key.
	key, err := db.findPledge(challengeID, appID)
	if err != nil {
		return nil, err
	}
	return updateJSON(db, bucketPledges, kindPledge, key, "军令状", func(p *data.Pledge, _ time.Time) (data.AuditEntry, error) {
		return data.AuditEntry{Actor: by, Action: "pledge.update", Object: "challenges/" + challengeID, Detail: "申请 " + appID}, fn(p)
	})
}

var bucketReviews = []byte("reviews")

var _ data.ReviewStore = (*DB)(nil)

func init() { pairingBuckets = append(pairingBuckets, bucketReviews) }

// PutReview stores a reviewer's review of an application, replacing the
// reviewer's earlier one.
func (db *DB) PutReview(ctx context.Context, r *data.Review, by data.Actor) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := db.Now().UTC()
	r.At = now
	return db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketApplications).Get([]byte(r.ApplicationID)) == nil {
			return data.Errorf(data.ENOTFOUND, "揭榜申请 %q 不存在", r.ApplicationID)
		}
		buf, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketReviews).Put([]byte(r.ApplicationID+"\x00"+r.Reviewer), buf); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "review.put", Object: "applications/" + r.ApplicationID,
			Detail: fmt.Sprintf("评审人 %s，加权得分 %.2f", r.Reviewer, r.Weighted())})
	})
}

// Reviews returns an application's reviews.
func (db *DB) Reviews(ctx context.Context, applicationID string) ([]data.Review, error) {
	out := []data.Review{}
	err := db.view(bucketReviews, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		c := b.Cursor()
		prefix := []byte(applicationID + "\x00")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r data.Review
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
