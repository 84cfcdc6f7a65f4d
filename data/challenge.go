package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Challenge-list kinds (揭榜挂帅 榜单).
var ChallengeListKinds = []string{"government", "enterprise", "institute"}

var listKindLabels = map[string]string{"government": "政府重大科技项目", "enterprise": "企业技术需求项目", "institute": "高校院所成果转化项目"}

// ListKindLabel is the Chinese name of a list kind.
func ListKindLabel(k string) string {
	if l, ok := listKindLabels[k]; ok {
		return l
	}
	return k
}

// ListStatus is where a challenge list stands.
type ListStatus string

const (
	ListDraft     ListStatus = "draft"
	ListPublished ListStatus = "published"
	ListClosed    ListStatus = "closed"
	ListAwarded   ListStatus = "awarded"
)

var listStatusLabels = map[ListStatus]string{ListDraft: "草稿", ListPublished: "已发布", ListClosed: "已截止", ListAwarded: "已揭榜"}

// Label is the status's Chinese name.
func (s ListStatus) Label() string {
	if l, ok := listStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

var nextListStatuses = map[ListStatus][]ListStatus{
	ListDraft:     {ListPublished},
	ListPublished: {ListClosed},
	ListClosed:    {ListAwarded},
	ListAwarded:   nil,
}

// ChallengeList is a 榜单 of 揭榜挂帅 challenges published in a batch.
type ChallengeList struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Kind  string `json:"kind"`
	// Batch names the batch, e.g. 2026年第一批.
	Batch string `json:"batch,omitempty"`
	// OpensOn and ClosesOn are dates, 2006-01-02; applications are taken
	// while the list is published.
	OpensOn  string     `json:"opens_on"`
	ClosesOn string     `json:"closes_on"`
	Status   ListStatus `json:"status"`
	// MaxAwards is how many teams each challenge of the list may be
	// awarded to (赛马制); 0 means one.
	MaxAwards int `json:"max_awards,omitempty"`
	Meta
}

// MaxListAwards bounds a list's awards per challenge.
const MaxListAwards = 10

// AwardsPerChallenge is how many awards each challenge of the list takes.
func (l *ChallengeList) AwardsPerChallenge() int { return max(l.MaxAwards, 1) }

// Validate checks a challenge list and returns every problem at once.
func (l *ChallengeList) Validate() error {
	var c checker
	c.id(l.ID)
	c.title(l.Title)
	if !slices.Contains(ChallengeListKinds, l.Kind) {
		c.add("kind", "榜单类型“%s”无法识别：应为 government（政府重大科技项目）、enterprise（企业技术需求项目）或 institute（高校院所成果转化项目）", l.Kind)
	}
	c.short("batch", "批次", l.Batch)
	opens, err1 := time.Parse(time.DateOnly, l.OpensOn)
	if err1 != nil {
		c.add("opens_on", "开榜日期“%s”应写成 2026-03-01 的格式", l.OpensOn)
	}
	closes, err2 := time.Parse(time.DateOnly, l.ClosesOn)
	if err2 != nil {
		c.add("closes_on", "截止日期“%s”应写成 2026-03-01 的格式", l.ClosesOn)
	}
	if err1 == nil && err2 == nil && closes.Before(opens) {
		c.add("closes_on", "截止日期不能早于开榜日期")
	}
	if _, ok := listStatusLabels[l.Status]; !ok {
		c.add("status", "未知的榜单状态“%s”", l.Status)
	}
	if l.MaxAwards < 0 || l.MaxAwards > MaxListAwards {
		c.add("max_awards", "每个揭榜项目最多授予的团队数应在 1 到 %d 之间（不填为 1）", MaxListAwards)
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("榜单有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// SetStatus moves the list to status to, or returns ECONFLICT naming the
// allowed next status.
func (l *ChallengeList) SetStatus(to ListStatus) error {
	if _, ok := listStatusLabels[to]; !ok {
		return Errorf(EINVALID, "未知的榜单状态“%s”：应为 published（已发布）、closed（已截止）或 awarded（已揭榜）", to)
	}
	next := nextListStatuses[l.Status]
	if !slices.Contains(next, to) {
		if len(next) == 0 {
			return Errorf(ECONFLICT, "榜单已“%s”，不能再变更状态", l.Status.Label())
		}
		return Errorf(ECONFLICT, "榜单当前为“%s”，不能变为“%s”：只能变为 %s（%s）", l.Status.Label(), to.Label(), next[0], next[0].Label())
	}
	l.Status = to
	return nil
}

// MilestoneTerm is one term of a challenge: a deliverable due by a date.
type MilestoneTerm struct {
	Title       string `json:"title"`
	Due         string `json:"due"`
	Deliverable string `json:"deliverable,omitempty"`
}

// Requirements are what a challenge asks of its solvers.
type Requirements struct {
	Text           string   `json:"text,omitempty"`
	MinMaturity    string   `json:"min_maturity,omitempty"`
	Qualifications []string `json:"qualifications,omitempty"`
}

// Challenge is one demand on a challenge list.
type Challenge struct {
	ID             string          `json:"id"`
	ListID         string          `json:"list_id"`
	DemandID       string          `json:"demand_id"`
	Title          string          `json:"title,omitempty"`
	RewardWan      float64         `json:"reward_wan"`
	DurationMonths int             `json:"duration_months,omitempty"`
	Requirements   Requirements    `json:"requirements,omitzero"`
	Milestones     []MilestoneTerm `json:"milestones,omitempty"`
	Meta
}

// Validate checks a challenge and returns every problem at once.
func (ch *Challenge) Validate() error {
	var c checker
	c.id(ch.ID)
	if strings.TrimSpace(ch.ListID) == "" {
		c.add("list_id", "需要榜单编号")
	}
	if strings.TrimSpace(ch.DemandID) == "" {
		c.add("demand_id", "需要技术需求编号 demand_id")
	}
	if ch.RewardWan < 0 || ch.RewardWan > MaxAmountWan {
		c.add("reward_wan", "揭榜奖励应在 0 到 %.0f 万元之间", float64(MaxAmountWan))
	}
	if ch.DurationMonths < 0 || ch.DurationMonths > 120 {
		c.add("duration_months", "实施周期应在 0 到 120 个月之间")
	}
	c.text("requirements.text", "揭榜要求", ch.Requirements.Text, MaxTextLen)
	c.maturity("requirements.min_maturity", ch.Requirements.MinMaturity)
	if len(ch.Milestones) > 50 {
		c.add("milestones", "里程碑过多：最多 50 个")
	}
	for i, m := range ch.Milestones {
		if strings.TrimSpace(m.Title) == "" || utf8.RuneCountInString(m.Title) > MaxTitleLen {
			c.add(fmt.Sprintf("milestones[%d].title", i), "第 %d 个里程碑需要名称（最多 %d 个字）", i+1, MaxTitleLen)
		}
		if _, err := time.Parse(time.DateOnly, m.Due); err != nil {
			c.add(fmt.Sprintf("milestones[%d].due", i), "第 %d 个里程碑的期限“%s”应写成 2026-03-01 的格式", i+1, m.Due)
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("揭榜项目有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// ChallengeStore keeps challenge lists and their challenges.
type ChallengeStore interface {
	// PutChallengeList validates and stores a list (id assigned when
	// empty) and reports whether it was created.
	PutChallengeList(ctx context.Context, l *ChallengeList, by Actor) (created bool, err error)
	ChallengeList(ctx context.Context, id string) (*ChallengeList, error)
	ListChallengeLists(ctx context.Context) ([]ChallengeList, error)
	// UpdateChallengeList changes a list with fn in one transaction.
	UpdateChallengeList(ctx context.Context, id string, by Actor, fn func(l *ChallengeList) error) (*ChallengeList, error)
	// PutChallenge stores a new challenge on its list; a demand is on a
	// list at most once.
	PutChallenge(ctx context.Context, ch *Challenge, by Actor) error
	Challenge(ctx context.Context, id string) (*Challenge, error)
	// Challenges returns the challenges of a list ("" for all) in id order.
	Challenges(ctx context.Context, listID string) ([]Challenge, error)
}

// TeamLeader leads a solver team; Contact is private.
type TeamLeader struct {
	Name    string   `json:"name"`
	Title   string   `json:"title,omitempty"`
	Contact *Contact `json:"contact,omitempty"`
}

// Team is a solver team (揭榜团队) of an institution.
type Team struct {
	Name        string     `json:"name"`
	Institution string     `json:"institution"`
	Leader      TeamLeader `json:"leader"`
	Members     []string   `json:"members,omitempty"`
}

// Application is a team's application (揭榜申请) to a challenge.
type Application struct {
	ID          string `json:"id"`
	ChallengeID string `json:"challenge_id"`
	Team        Team   `json:"team"`
	// AchievementIDs are the team's supporting achievements.
	AchievementIDs []string `json:"achievement_ids"`
	Proposal       string   `json:"proposal,omitempty"`
	BudgetWan      float64  `json:"budget_wan,omitempty"`
	DurationMonths int      `json:"duration_months,omitempty"`
	Awarded        bool     `json:"awarded,omitempty"`
	Meta
}

// Public returns a copy without the leader's contact and the owner.
func (a Application) Public() Application {
	a.Team.Leader.Contact = nil
	a.Owner = ""
	return a
}

// TeamKey identifies a team on a challenge: one application per team.
func (a *Application) TeamKey() string {
	return a.ChallengeID + "\x00" + NormalizeTitle(a.Team.Institution) + "\x00" + NormalizeTitle(a.Team.Name)
}

// Validate checks an application and returns every problem at once.
func (a *Application) Validate() error {
	var c checker
	c.id(a.ID)
	if strings.TrimSpace(a.Team.Name) == "" {
		c.add("team.name", "需要团队名称")
	}
	if strings.TrimSpace(a.Team.Institution) == "" {
		c.add("team.institution", "需要团队所在单位")
	}
	if strings.TrimSpace(a.Team.Leader.Name) == "" {
		c.add("team.leader.name", "需要团队负责人姓名")
	}
	c.short("team.name", "团队名称", a.Team.Name)
	c.short("team.institution", "单位", a.Team.Institution)
	c.contact(a.Team.Leader.Contact)
	if len(a.Team.Members) > MaxListLen {
		c.add("team.members", "团队成员过多：最多 %d 人", MaxListLen)
	}
	if len(a.AchievementIDs) == 0 || len(a.AchievementIDs) > MaxListLen {
		c.add("achievement_ids", "请列出 1 到 %d 项支撑成果的编号", MaxListLen)
	}
	c.text("proposal", "实施方案", a.Proposal, MaxTextLen)
	if a.BudgetWan < 0 || a.BudgetWan > MaxAmountWan {
		c.add("budget_wan", "经费预算应在 0 到 %.0f 万元之间", float64(MaxAmountWan))
	}
	if a.DurationMonths < 0 || a.DurationMonths > 120 {
		c.add("duration_months", "实施周期应在 0 到 120 个月之间")
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("揭榜申请有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// Milestone statuses of a 军令状.
var MilestoneStatuses = []string{"按期完成", "延期", "未完成"}

// Milestone is a term of a 军令状 and how it went.
type Milestone struct {
	MilestoneTerm
	// Status is "" while pending, else one of MilestoneStatuses.
	Status string `json:"status,omitempty"`
	On     string `json:"on,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Overdue reports whether the milestone is pending past its due date.
func (m Milestone) Overdue(today string) bool { return m.Status == "" && m.Due < today }

// Pledge is the 军令状 signed on award: the winning application, the
// pairing it became, and the milestones. A challenge has one pledge per
// award.
type Pledge struct {
	ChallengeID   string      `json:"challenge_id"`
	ApplicationID string      `json:"application_id"`
	PairingID     string      `json:"pairing_id"`
	Milestones    []Milestone `json:"milestones"`
	Created       time.Time   `json:"created"`
}

// AuditPairingAward is the audit action of an award that went to a pair's
// open pairing (a new pairing is AuditPairingCreate).
const AuditPairingAward = "pairing.award"

// ApplicationStore keeps applications and awards.
type ApplicationStore interface {
	// PutApplication validates and stores an application (id assigned
	// when empty); a team applies once per challenge.
	PutApplication(ctx context.Context, a *Application, by Actor) (created bool, err error)
	Application(ctx context.Context, id string) (*Application, error)
	Applications(ctx context.Context, challengeID string) ([]Application, error)
	// Award makes the application a winner of its challenge in one
	// transaction: the pairing, the pledge, the application marked
	// awarded. Only a closed list's challenges are awarded, each at most
	// its list's AwardsPerChallenge times (ECONFLICT beyond). A new
	// pairing is made from p (source challenge); when the pair already
	// has an open pairing, that one is kept and the award is written into
	// its history and the audit log.
	Award(ctx context.Context, appID string, p *Pairing, by Actor) (*Pledge, error)
	// Pledges returns a challenge's pledges in award order.
	Pledges(ctx context.Context, challengeID string) ([]Pledge, error)
	// Pledge returns the pledge of an awarded application.
	Pledge(ctx context.Context, challengeID, applicationID string) (*Pledge, error)
	// UpdatePledge changes a pledge's milestones with fn in one transaction.
	UpdatePledge(ctx context.Context, challengeID, applicationID string, by Actor, fn func(p *Pledge) error) (*Pledge, error)
}

// ReviewCriteria are the panel's criteria and their weights (the usual
// 揭榜挂帅 review sheet; each scored 0–10).
var ReviewCriteria = []struct {
	Name   string
	Weight float64
}{{"技术先进性", 0.3}, {"团队能力", 0.25}, {"实施方案", 0.25}, {"经费合理性", 0.2}}

// Review is one reviewer's scores of an application.
type Review struct {
	ApplicationID string             `json:"application_id"`
	Reviewer      string             `json:"reviewer"`
	Scores        map[string]float64 `json:"scores"`
	Comment       string             `json:"comment,omitempty"`
	At            time.Time          `json:"at"`
}

// Validate checks a review: every criterion scored 0–10, no others.
func (r *Review) Validate() error {
	var c checker
	for _, k := range ReviewCriteria {
		v, ok := r.Scores[k.Name]
		if !ok {
			c.add("scores."+k.Name, "缺少“%s”的评分", k.Name)
		} else if v < 0 || v > 10 {
			c.add("scores."+k.Name, "“%s”的评分应在 0 到 10 之间", k.Name)
		}
	}
	for name := range r.Scores {
		known := false
		for _, k := range ReviewCriteria {
			known = known || k.Name == name
		}
		if !known {
			c.add("scores."+name, "未知的评审指标“%s”", name)
		}
	}
	c.text("comment", "评审意见", r.Comment, 5000)
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("评审有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// Weighted is the review's score on 0–10, criteria weighted.
func (r *Review) Weighted() float64 {
	var s float64
	for _, k := range ReviewCriteria {
		s += k.Weight * r.Scores[k.Name]
	}
	return s
}

// PanelScore is the mean of the reviews' weighted scores (0 reviews: 0, false).
func PanelScore(reviews []Review) (float64, bool) {
	if len(reviews) == 0 {
		return 0, false
	}
	var s float64
	for i := range reviews {
		s += reviews[i].Weighted()
	}
	return round2(s / float64(len(reviews))), true
}

// ReviewStore keeps the panel's reviews: one per reviewer per application.
type ReviewStore interface {
	PutReview(ctx context.Context, r *Review, by Actor) error
	Reviews(ctx context.Context, applicationID string) ([]Review, error)
}
