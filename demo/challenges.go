package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Sizes of the demo 揭榜挂帅 data: 22 challenges as the province reports,
// on two lists.
const (
	NumChallenges      = 22
	firstListChallenge = 12 // challenges on the first (closed, awarded) list
)

const seedChallenges = 0x6368616c_6c656e67 // "challeng"

// Challenges is the demo's 揭榜挂帅 data: two lists, their challenges, the
// teams' applications and the panel's reviews. The first challenge of the
// first list is to be awarded to its first application (AwardApplication);
// its first milestone falls due before PipelineAsOf and is overdue.
type Challenges struct {
	Lists            []data.ChallengeList
	Challenges       []data.Challenge
	Applications     []data.Application
	Reviews          []data.Review
	AwardApplication string
}

// GenerateChallenges builds the demo 揭榜挂帅 data over the demo catalogue:
// challenge demands of Jilin enterprises, and applications from the
// institutions whose achievements share the demand's topic.
func GenerateChallenges() Challenges {
	achs, achTopics := generateAchievements()
	dems, demTopics := generateDemands()
	g := gen{r: rand.New(rand.NewPCG(seedChallenges, seedStream))}
	var out Challenges
	out.Lists = []data.ChallengeList{
		{ID: "demo-cl-1", Title: "2026年第一批企业技术需求项目榜单", Kind: "enterprise", Batch: "2026年第一批",
			OpensOn: "2026-03-01", ClosesOn: "2026-04-30", Status: data.ListClosed},
		{ID: "demo-cl-2", Title: "2026年第二批政府重大科技项目榜单", Kind: "government", Batch: "2026年第二批",
			OpensOn: "2026-10-15", ClosesOn: "2026-12-31", Status: data.ListPublished},
	}
	byTopic := map[int][]int{}
	for i, t := range achTopics {
		if achs[i].Institution != "" {
			byTopic[t] = append(byTopic[t], i)
		}
	}
	reviewers := []string{"demo-reviewer-1", "demo-reviewer-2", "demo-reviewer-3"}
	for i := 0; i < len(dems) && len(out.Challenges) < NumChallenges; i++ {
		d := &dems[i]
		if !d.Challenge || d.Region.Province != provinceJilin || len(byTopic[demTopics[i]]) < 3 {
			continue
		}
		k := len(out.Challenges)
		list := out.Lists[0]
		if k >= firstListChallenge {
			list = out.Lists[1]
		}
		closes, _ := time.Parse(time.DateOnly, list.ClosesOn)
		ch := data.Challenge{ID: fmt.Sprintf("demo-ch-%02d", k+1), ListID: list.ID, DemandID: d.ID, Title: d.Title,
			RewardWan: d.RewardWan, DurationMonths: 18,
			Requirements: data.Requirements{Text: "揭榜方需具备相关领域研发基础和中试条件", MinMaturity: "小试", Qualifications: []string{"独立法人或其二级单位"}}}
		for j, title := range []string{"完成技术方案与小试验证", "完成中试与样品交付", "通过企业验收并实现产业化应用"} {
			ch.Milestones = append(ch.Milestones, data.MilestoneTerm{Title: title, Due: closes.AddDate(0, 6*(j+1), 0).Format(time.DateOnly),
				Deliverable: []string{"技术方案与小试报告", "中试报告与样品", "验收报告"}[j]})
		}
		out.Challenges = append(out.Challenges, ch)
		// Applications: up to three institutions with achievements of the topic.
		pool := byTopic[demTopics[i]]
		seen := map[string]bool{}
		for _, idx := range g.distinct(len(pool), min(len(pool), 12)) {
			a := &achs[pool[idx]]
			if seen[a.Institution] || len(seen) == 3 {
				continue
			}
			seen[a.Institution] = true
			leader := "负责人"
			if len(a.Inventors) > 0 {
				leader = a.Inventors[0].Name
			}
			ids := []string{a.ID}
			for _, other := range pool {
				if len(ids) < 3 && achs[other].Institution == a.Institution && achs[other].ID != a.ID {
					ids = append(ids, achs[other].ID)
				}
			}
			app := data.Application{ID: fmt.Sprintf("demo-ap-%02d-%d", k+1, len(seen)), ChallengeID: ch.ID,
				Team: data.Team{Name: leader + "团队", Institution: a.Institution,
					Leader: data.TeamLeader{Name: leader, Title: "教授", Contact: &data.Contact{Mobile: g.mobile()}}},
				AchievementIDs: ids, Proposal: "依托已有成果，分三个阶段完成攻关：方案与小试、中试、产业化验收。",
				BudgetWan: roundAmount(d.RewardWan * (0.6 + 0.6*g.r.Float64())), DurationMonths: 12 + 6*g.r.IntN(3)}
			out.Applications = append(out.Applications, app)
			if list.Status == data.ListClosed {
				for _, rv := range reviewers {
					r := data.Review{ApplicationID: app.ID, Reviewer: rv, Scores: map[string]float64{}}
					for _, c := range data.ReviewCriteria {
						r.Scores[c.Name] = float64(5 + g.r.IntN(6))
					}
					out.Reviews = append(out.Reviews, r)
				}
			}
		}
	}
	for _, a := range out.Applications {
		if a.ChallengeID == out.Challenges[0].ID {
			out.AwardApplication = a.ID
			break
		}
	}
	return out
}
