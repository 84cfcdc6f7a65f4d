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
	Meta
}

// Validate checks a challenge list and returns every problem at once.
func (l *ChallengeList) Validate() error {
	var c checker
	c.id(l.ID)
	c.title(l.Title)
	if !contains(ChallengeListKinds, l.Kind) {
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
