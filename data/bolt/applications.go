package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

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

// Award stores the winner's pairing, the pledge and the awarded mark in
// one transaction.
func (db *DB) Award(ctx context.Context, appID string, p *data.Pairing, by data.Actor) (*data.Pledge, error) {
	now := db.Now().UTC()
	var pledge *data.Pledge
	err := db.update(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketApplications).Get([]byte(appID))
		if v == nil {
			return data.Errorf(data.ENOTFOUND, "揭榜申请 %q 不存在", appID)
		}
		var app data.Application
		if err := json.Unmarshal(v, &app); err != nil {
			return err
		}
		cv := tx.Bucket(bucketChallenges).Get([]byte(app.ChallengeID))
		if cv == nil {
			return data.Errorf(data.ENOTFOUND, "揭榜项目 %q 不存在", app.ChallengeID)
		}
		var ch data.Challenge
		if err := json.Unmarshal(cv, &ch); err != nil {
			return err
		}
		if tx.Bucket(bucketPledges).Get([]byte(ch.ID)) != nil {
			return data.Errorf(data.ECONFLICT, "揭榜项目 %s 已经揭榜，不能再次授予", ch.ID)
		}
		// The pairing: the pair's open one, else a new one.
		if cur := tx.Bucket(bucketOpenPairs).Get([]byte(p.PairKey())); cur != nil {
			p.ID = string(cur)
		} else {
			p.Status, p.Created, p.Updated = data.StatusRecommended, now, now
			p.History = []data.HistoryEntry{{To: data.StatusRecommended, By: by, At: now, Note: "揭榜挂帅授予"}}
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
			if err := appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditPairingCreate, Object: "pairings/" + p.ID,
				Detail: "揭榜挂帅：揭榜项目 " + ch.ID + "，申请 " + app.ID}); err != nil {
				return err
			}
		}
		pledge = &data.Pledge{ChallengeID: ch.ID, ApplicationID: app.ID, PairingID: p.ID, Created: now, Milestones: []data.Milestone{}}
		for _, m := range ch.Milestones {
			pledge.Milestones = append(pledge.Milestones, data.Milestone{MilestoneTerm: m})
		}
		if err := putJSON(tx, bucketPledges, kindPledge, ch.ID, pledge); err != nil {
			return err
		}
		app.Awarded, app.Updated = true, now
		if err := putJSON(tx, bucketApplications, kindApplication, app.ID, &app); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "challenge.award", Object: "challenges/" + ch.ID,
			Detail: fmt.Sprintf("授予申请 %s（%s），对接 %s", app.ID, app.Team.Name, p.ID)})
	})
	return pledge, err
}

// Pledge returns a challenge's 军令状 or ENOTFOUND.
func (db *DB) Pledge(ctx context.Context, challengeID string) (*data.Pledge, error) {
	return getJSON[data.Pledge](db, bucketPledges, challengeID, "军令状（揭榜项目）")
}

// UpdatePledge changes a pledge with fn in one transaction.
func (db *DB) UpdatePledge(ctx context.Context, challengeID string, by data.Actor, fn func(p *data.Pledge) error) (*data.Pledge, error) {
	now := db.Now().UTC()
	var out *data.Pledge
	err := db.update(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPledges).Get([]byte(challengeID))
		if v == nil {
			return data.Errorf(data.ENOTFOUND, "揭榜项目 %q 还没有军令状：请先揭榜", challengeID)
		}
		p := &data.Pledge{}
		if err := json.Unmarshal(v, p); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if err := putJSON(tx, bucketPledges, kindPledge, challengeID, p); err != nil {
			return err
		}
		out = p
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "pledge.update", Object: "challenges/" + challengeID})
	})
	return out, err
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
