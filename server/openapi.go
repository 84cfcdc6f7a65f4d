package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/matcher"
)

// apiOp describes one route of the API in the OpenAPI document served at
// /openapi.json. Adding a route is adding one entry to apiRoutes, keyed by
// "METHOD /path" exactly as gin registers it (TestOpenAPICoversRoutes
// names any route without an entry).
type apiOp struct {
	Summary string   // Chinese, one line
	Tags    []string // one group per resource
	// Roles may call the route; nil: anyone, with or without a token.
	Roles []data.Role
	// Body is a zero value of the request body's Go type (nil: no body).
	Body any
	// Response is a zero value of the answer's Go type (nil: no JSON body).
	Response any
	// Status is the success status (http.StatusOK when zero); Also are
	// other success statuses with the same answer (201 of an upsert that
	// created, 200 of a create that found the record).
	Status int
	Also   []int
	// Media is the answer's media type when it is not JSON (a file).
	Media string
	// Query names the query parameters with their Chinese descriptions.
	Query map[string]string
	// Example is an answer the tests validate against Response's schema,
	// BodyExample a request body; both only where the route has no
	// recorded example in openapi_examples.json (the real answers of the
	// scenario in openapi_examples_test.go, which win).
	Example, BodyExample any
	// IfMatch: the route takes If-Match (412 when stale).
	IfMatch bool
	// Waits: the route waits for the matcher model and answers 503 with
	// Retry-After when it is not ready in time.
	Waits bool
}

var (
	anyRole   = []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleOrganiser, data.RoleEnterprise, data.RoleScientist}
	recWriter = []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleEnterprise, data.RoleScientist}
	orgRoles  = []data.Role{data.RoleOrganiser, data.RoleAdmin}
	staffRole = []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleOrganiser}
	adminRole = []data.Role{data.RoleAdmin}
)

// Answer shapes built with gin.H in the handlers, described here.
type (
	// searchPage is a list or search answer of records of type T.
	searchPage[T any] struct {
		Total    uint64                       `json:"total"`
		Page     int                          `json:"page"`
		Size     int                          `json:"size"`
		Items    []T                          `json:"items"`
		Hits     []data.Hit                   `json:"hits,omitempty"`
		Facets   map[string][]data.FacetCount `json:"facets,omitempty"`
		IndexLag uint64                       `json:"index_lag,omitempty"`
		Note     string                       `json:"note,omitempty"`
	}
	// writtenAchievement and writtenDemand are a stored record with the
	// contact warnings of the write (and, for a new demand, its matches).
	writtenAchievement struct {
		data.Achievement
		Warnings []data.FieldError `json:"warnings,omitempty"`
	}
	writtenDemand struct {
		data.Demand
		Warnings []data.FieldError `json:"warnings,omitempty"`
		Matches  []matcher.Result  `json:"matches,omitempty"`
	}
	// rangeWire is an amount range as data.Range writes it, with its
	// reading (text is ignored on input).
	rangeWire struct {
		Min  float64 `json:"min"`
		Max  float64 `json:"max"`
		Text string  `json:"text"`
	}
	feedbackList struct {
		Feedback []data.Feedback `json:"feedback"`
		// Outcomes are the verdicts pairings imply (accepted or signed:
		// relevant; closed as 方向不符: not relevant).
		Outcomes []data.Feedback `json:"outcomes"`
	}
	weightsAnswer struct {
		Versions []data.WeightsVersion `json:"versions"`
		// Active is the active stored version, or the built-in default
		// ({"version","source","default":true,"note"}).
		Active any    `json:"active"`
		InUse  string `json:"in_use,omitempty"`
	}
	weightsBody struct {
		Version string `json:"version"` // a stored version, or "default"
	}
	reviewAnswer struct {
		Review     data.Review `json:"review"`
		Weighted   float64     `json:"weighted"`
		PanelScore float64     `json:"panel_score"`
		Reviews    int         `json:"reviews"`
	}
	matchListAnswer struct {
		Matches []matcher.Result `json:"matches"`
		// Note says when no match is 高 (matcher.ListNote).
		Note string `json:"note,omitempty"`
	}
	healthAnswer struct {
		Status       string  `json:"status" enum:"starting,ready,degraded"`
		Achievements int     `json:"achievements"`
		Demands      int     `json:"demands"`
		Seq          uint64  `json:"seq"`
		Version      string  `json:"version"`
		IndexSeq     uint64  `json:"index_seq,omitempty"`
		IndexLag     *uint64 `json:"index_lag"`
		Matcher      string  `json:"matcher" enum:"none,building,ready"`
		Reason       string  `json:"reason,omitempty"`
	}
	// list is the answer of listReply: every item with their count.
	list[T any] struct {
		Total int `json:"total"`
		Items []T `json:"items"`
	}
	pairingPage struct {
		Total int            `json:"total"`
		Page  int            `json:"page"`
		Size  int            `json:"size"`
		Items []data.Pairing `json:"items"`
	}
	deleted struct {
		Deleted string `json:"deleted"`
	}
	brokerStats struct {
		Broker data.Broker      `json:"broker"`
		Stats  data.BrokerStats `json:"stats"`
	}
	brokerSuggest struct {
		PairingID string                  `json:"pairing_id"`
		Brokers   []data.BrokerSuggestion `json:"brokers"`
	}
	funnelAnswer struct {
		GroupBy string                        `json:"group_by"`
		Rows    []data.FunnelRow              `json:"rows"`
		Total   data.FunnelRow                `json:"total"`
		Labels  map[data.PairingStatus]string `json:"labels"`
	}
	solverList struct {
		DemandID string           `json:"demand_id"`
		By       string           `json:"by"`
		Solvers  []matcher.Solver `json:"solvers"`
	}
	pledgeAnswer struct {
		ChallengeID   string          `json:"challenge_id"`
		ApplicationID string          `json:"application_id"`
		PairingID     string          `json:"pairing_id"`
		Milestones    []milestoneView `json:"milestones"`
		Overdue       int             `json:"overdue"`
		Created       time.Time       `json:"created"`
	}
	awardAnswer struct {
		PairingID     string       `json:"pairing_id"`
		ChallengeID   string       `json:"challenge_id"`
		ApplicationID string       `json:"application_id"`
		Pledge        pledgeAnswer `json:"pledge"`
	}
	eventPairing struct {
		ID            string             `json:"id"`
		DemandID      string             `json:"demand_id"`
		AchievementID string             `json:"achievement_id"`
		Status        data.PairingStatus `json:"status"`
		StatusLabel   string             `json:"status_label"`
		Existing      bool               `json:"existing,omitempty"`
	}
	eventPairings struct {
		EventID  string         `json:"event_id"`
		Source   string         `json:"source"`
		Created  int            `json:"created"`
		Existing int            `json:"existing"`
		Skipped  []string       `json:"skipped"`
		Pairings []eventPairing `json:"pairings"`
	}
	brokerIDBody struct {
		BrokerID string `json:"broker_id,omitempty"`
	}
	assignBody struct {
		BrokerID string `json:"broker_id"`
	}
	awardBody struct {
		ApplicationID string `json:"application_id"`
	}
	listStatusBody struct {
		To data.ListStatus `json:"to"`
	}
	milestoneBody struct {
		ApplicationID string `json:"application_id,omitempty"`
		Index         int    `json:"index"`
		Status        string `json:"status"`
		On            string `json:"on"`
		Note          string `json:"note"`
	}
	// pairingAnswer is a pairing as the pairing routes answer it: with
	// its sides (contact data only for those entitled), the next statuses
	// and, on a create that found the pair, existing.
	pairingAnswer struct {
		pairingWire
		Demand          PairingDemand      `json:"demand"`
		Achievement     PairingAchievement `json:"achievement"`
		ContactRevealed bool               `json:"contact_revealed"`
		Next            []nextStatus       `json:"next"`
		Existing        bool               `json:"existing,omitempty"`
	}
	// pairingWire and historyWire are what data.Pairing's and
	// data.HistoryEntry's MarshalJSON write.
	pairingWire struct {
		data.Pairing
		Status      data.PairingStatus `json:"status"`
		StatusLabel string             `json:"status_label"`
		SourceLabel string             `json:"source_label"`
	}
	historyWire struct {
		data.HistoryEntry
		FromLabel string `json:"from_label,omitempty"`
		ToLabel   string `json:"to_label"`
	}
)

// wireTypes map types with their own MarshalJSON to a struct with the same
// JSON shape; sameFields are those whose MarshalJSON writes their fields
// (plus unknown extra fields).
var (
	wireTypes = map[reflect.Type]reflect.Type{
		reflect.TypeFor[data.Pairing]():      reflect.TypeFor[pairingWire](),
		reflect.TypeFor[data.HistoryEntry](): reflect.TypeFor[historyWire](),
		reflect.TypeFor[data.Range]():        reflect.TypeFor[rangeWire](),
	}
	sameFields = map[reflect.Type]bool{
		reflect.TypeFor[data.Achievement](): true,
		reflect.TypeFor[data.Demand]():      true,
		// Descriptions only (withWarnings builds the answer as a map): the
		// record's fields plus warnings and matches.
		reflect.TypeFor[writtenAchievement](): true,
		reflect.TypeFor[writtenDemand]():      true,
	}
	// describedOnly are answer descriptions that embed a type with its own
	// MarshalJSON; the handlers build these answers as maps.
	describedOnly = map[reflect.Type]bool{
		reflect.TypeFor[pairingAnswer](): true,
	}
)

var (
	searchQuery = map[string]string{"q": "检索词（带引号为短语）", "page": "页码，从 1 开始", "size": "每页条数（默认 20，最多 100）",
		"field": "领域", "discipline": "学科", "industry": "行业", "maturity": "成熟度", "province": "省", "city": "市", "county": "县区",
		"institution": "单位（科技成果）", "enterprise": "企业（技术需求）", "challenge": "是否揭榜挂帅（技术需求）",
		"price_min": "最低价格（万元，科技成果）", "price_max": "最高价格（万元，科技成果）",
		"budget_min": "最低预算（万元，技术需求）", "budget_max": "最高预算（万元，技术需求）",
		"from": "发布日期起", "to": "发布日期止", "sort": "relevance 或 date", "facets": "是否统计分面", "highlight": "是否高亮"}
	matchQuery = map[string]string{"limit": "返回条数", "candidates": "候选数"}
)

const (
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mediaHTML = "text/html"
)

// exampleError is the example of the shared error answer.
var exampleError = errorResponse{Error: errorBody{Code: data.EINVALID, Message: "技术需求有 1 处错误",
	Fields: []data.FieldError{{Field: "budget_wan.max", Message: "budget_wan.max 应为数字"}}}}

func recordRoutes(kind data.Kind, one, list, written any, label string) map[string]apiOp {
	p := "/api/v1/" + string(kind)
	tags := []string{label}
	return map[string]apiOp{
		"GET " + p:          {Summary: "列出或检索" + label + "（带 q 时为全文检索）", Tags: tags, Response: list, Query: searchQuery},
		"POST " + p:         {Summary: "新建" + label, Tags: tags, Roles: recWriter, Body: one, Response: written, Status: http.StatusCreated},
		"GET " + p + "/:id": {Summary: "读取一条" + label + "（联系方式仅对有权者可见）", Tags: tags, Response: one},
		"PUT " + p + "/:id": {Summary: "更新或新建" + label + "（If-Match 带版本时做并发检查）", Tags: tags, Roles: recWriter,
			Body: one, Response: written, Also: []int{http.StatusCreated}, IfMatch: true},
		"DELETE " + p + "/:id":      {Summary: "删除" + label, Tags: tags, Roles: recWriter, Status: http.StatusNoContent, IfMatch: true},
		"GET " + p + "/:id/matches": {Summary: "为这条" + label + "推荐匹配", Tags: []string{"匹配"}, Response: matchListAnswer{}, Query: matchQuery, Waits: true},
	}
}

// apiRoutes is the table of every route: keep it in step with routes().
var apiRoutes = func() map[string]apiOp {
	m := map[string]apiOp{
		"GET /healthz": {Summary: "存活探针：进程在即 200，正文给出启动状态、索引滞后与匹配模型状态", Tags: []string{"运维"}, Response: healthAnswer{}},
		"GET /readyz": {Summary: "就绪探针：未就绪时 503（带 Retry-After）", Tags: []string{"运维"}, Response: healthAnswer{}, Also: []int{http.StatusServiceUnavailable},
			Example: healthAnswer{Status: "ready", Achievements: 46000, Demands: 1200, Seq: 47200, IndexSeq: 47200, IndexLag: new(uint64), Matcher: "ready"}},
		"GET /metrics": {Summary: "Prometheus 指标", Tags: []string{"运维"}, Media: "text/plain",
			Example: "# HELP techmatch_http_requests_total HTTP requests answered, by route, method and status.\n" +
				"# TYPE techmatch_http_requests_total counter\n" +
				"techmatch_http_requests_total{method=\"GET\",route=\"/api/v1/demands\",status=\"200\"} 42\n"},
		"GET /openapi.json": {Summary: "本接口说明（OpenAPI 3.1）", Tags: []string{"运维"}, Response: map[string]any{},
			Example: map[string]any{"openapi": "3.1.0", "info": map[string]any{"title": "techmatch API", "version": "1"}, "paths": map[string]any{}}},
		"GET /docs":       {Summary: "接口说明网页（Swagger UI）", Tags: []string{"运维"}, Media: mediaHTML},
		"GET /docs/:file": {Summary: "接口说明网页的脚本、样式与许可证", Tags: []string{"运维"}, Media: "text/javascript"},

		"GET /api/v1/demands/:id/matches/:achievement_id": {Summary: "为一对需求与成果打分并给出解释", Tags: []string{"匹配"}, Waits: true,
			Response: matcher.Result{}},
		"POST /api/v1/match": {Summary: "按一段需求描述推荐成果（不保存）", Tags: []string{"匹配"}, Waits: true, Body: data.Demand{}, Response: matchListAnswer{},
			Query: matchQuery},
		"GET /api/v1/demands/:id/solvers":    {Summary: "为需求推荐揭榜团队", Tags: []string{"揭榜挂帅"}, Response: solverList{}, Query: map[string]string{"by": "按机构或发明人分组", "limit": "返回条数"}},
		"GET /api/v1/challenges/:id/solvers": {Summary: "为揭榜项目推荐揭榜团队", Tags: []string{"揭榜挂帅"}, Response: solverList{}, Query: map[string]string{"by": "按机构或发明人分组", "limit": "返回条数"}},

		"GET /api/v1/events":                           {Summary: "列出活动", Tags: []string{"活动"}, Response: list[data.Event]{}, Query: map[string]string{"type": "活动类型"}},
		"POST /api/v1/events":                          {Summary: "新建活动", Tags: []string{"活动"}, Roles: orgRoles, Body: data.Event{}, Response: data.Event{}, Status: http.StatusCreated},
		"GET /api/v1/events/:id":                       {Summary: "读取活动", Tags: []string{"活动"}, Response: data.Event{}},
		"PUT /api/v1/events/:id":                       {Summary: "更新或新建活动", Tags: []string{"活动"}, Roles: orgRoles, Body: data.Event{}, Response: data.Event{}, Also: []int{http.StatusCreated}},
		"DELETE /api/v1/events/:id":                    {Summary: "删除活动", Tags: []string{"活动"}, Roles: orgRoles, Response: deleted{}},
		"GET /api/v1/events/:id/registrations":         {Summary: "列出报名", Tags: []string{"活动"}, Response: list[data.Registration]{}},
		"POST /api/v1/events/:id/registrations":        {Summary: "报名", Tags: []string{"活动"}, Roles: anyRole, Body: data.Registration{}, Response: data.Registration{}, Status: http.StatusCreated, Also: []int{http.StatusOK}},
		"PUT /api/v1/events/:id/registrations/:rid":    {Summary: "更新报名", Tags: []string{"活动"}, Roles: anyRole, Body: data.Registration{}, Response: data.Registration{}, Also: []int{http.StatusCreated}},
		"DELETE /api/v1/events/:id/registrations/:rid": {Summary: "撤回报名", Tags: []string{"活动"}, Roles: anyRole, Response: data.Registration{}},
		"POST /api/v1/events/:id/lineup":               {Summary: "编排路演议程", Tags: []string{"活动"}, Roles: orgRoles, Body: event.LineupParams{}, Response: event.Lineup{}},
		"GET /api/v1/events/:id/lineup":                {Summary: "读取路演议程", Tags: []string{"活动"}, Response: event.Lineup{}},
		"GET /api/v1/events/:id/lineup.xlsx":           {Summary: "路演议程（Excel）", Tags: []string{"活动"}, Media: mediaXLSX},
		"GET /api/v1/events/:id/lineup.csv":            {Summary: "路演议程（CSV）", Tags: []string{"活动"}, Media: mediaCSV},
		"GET /api/v1/events/:id/lineup.html":           {Summary: "路演议程（网页）", Tags: []string{"活动"}, Media: mediaHTML},
		"POST /api/v1/events/:id/schedule":             {Summary: "编排洽谈日程", Tags: []string{"活动"}, Roles: orgRoles, Body: event.ScheduleParams{}, Response: event.Schedule{}},
		"GET /api/v1/events/:id/schedule":              {Summary: "读取洽谈日程", Tags: []string{"活动"}, Response: event.Schedule{}},
		"GET /api/v1/events/:id/schedule.xlsx":         {Summary: "洽谈日程（Excel）", Tags: []string{"活动"}, Media: mediaXLSX},
		"GET /api/v1/events/:id/schedule.csv":          {Summary: "洽谈日程（CSV）", Tags: []string{"活动"}, Media: mediaCSV},
		"GET /api/v1/events/:id/schedule.html":         {Summary: "洽谈日程（网页）", Tags: []string{"活动"}, Media: mediaHTML},
		"GET /api/v1/events/:id/agenda.xlsx":           {Summary: "全部个人日程（Excel）", Tags: []string{"活动"}, Media: mediaXLSX},
		"GET /api/v1/events/:id/agenda/:file":          {Summary: "一位报名者的个人日程（报名编号.html）", Tags: []string{"活动"}, Media: mediaHTML},
		"POST /api/v1/events/:id/pairings":             {Summary: "把活动的洽谈或路演结果登记为对接", Tags: []string{"对接"}, Roles: orgRoles, Body: brokerIDBody{}, Response: eventPairings{}},

		"GET /api/v1/brokers":           {Summary: "列出技术经纪人", Tags: []string{"技术经纪人"}, Response: list[data.Broker]{}},
		"POST /api/v1/brokers":          {Summary: "登记技术经纪人", Tags: []string{"技术经纪人"}, Roles: adminRole, Body: data.Broker{}, Response: data.Broker{}, Status: http.StatusCreated},
		"GET /api/v1/brokers/:id":       {Summary: "读取技术经纪人", Tags: []string{"技术经纪人"}, Response: data.Broker{}},
		"PUT /api/v1/brokers/:id":       {Summary: "更新或登记技术经纪人", Tags: []string{"技术经纪人"}, Roles: adminRole, Body: data.Broker{}, Response: data.Broker{}, Also: []int{http.StatusCreated}},
		"GET /api/v1/brokers/:id/stats": {Summary: "技术经纪人业绩", Tags: []string{"技术经纪人"}, Roles: staffRole, Response: brokerStats{}},

		"POST /api/v1/pairings":                 {Summary: "发起对接（已有同一对时 200 并带 existing）", Tags: []string{"对接"}, Roles: anyRole, Body: data.NewPairingRequest{}, Response: pairingAnswer{}, Status: http.StatusCreated, Also: []int{http.StatusOK}},
		"GET /api/v1/pairings":                  {Summary: "列出对接", Tags: []string{"对接"}, Roles: anyRole, Response: pairingPage{}, Query: map[string]string{"status": "状态", "demand_id": "需求编号", "achievement_id": "成果编号", "broker_id": "经纪人编号", "event_id": "活动编号", "page": "页码", "size": "每页条数"}},
		"GET /api/v1/pairings/:id":              {Summary: "读取对接（双方同意后对双方显示联系方式）", Tags: []string{"对接"}, Roles: anyRole, Response: pairingAnswer{}},
		"POST /api/v1/pairings/:id/transitions": {Summary: "变更对接状态", Tags: []string{"对接"}, Roles: anyRole, Body: data.Transition{}, Response: pairingAnswer{}},
		"GET /api/v1/pairings/:id/brokers":      {Summary: "为对接推荐技术经纪人", Tags: []string{"对接"}, Roles: staffRole, Response: brokerSuggest{}, Query: map[string]string{"limit": "返回条数"}},
		"PUT /api/v1/pairings/:id/broker":       {Summary: "指派技术经纪人", Tags: []string{"对接"}, Roles: orgRoles, Body: assignBody{}, Response: pairingAnswer{}},

		"GET /api/v1/audit": {Summary: "审计记录", Tags: []string{"审计"}, Roles: adminRole, Response: list[data.AuditEntry]{},
			Query: map[string]string{"object": "对象", "action": "动作", "from": "起始时间", "to": "截止时间", "limit": "条数（1–10000，默认 200）"}},

		"GET /api/v1/stats/funnel":      {Summary: "对接漏斗", Tags: []string{"统计"}, Roles: staffRole, Response: funnelAnswer{}, Query: map[string]string{"group_by": "分组", "from": "起始", "to": "截止"}},
		"GET /api/v1/stats/funnel.xlsx": {Summary: "对接漏斗（Excel）", Tags: []string{"统计"}, Roles: staffRole, Media: mediaXLSX},
		"GET /api/v1/stats/funnel.csv":  {Summary: "对接漏斗（CSV）", Tags: []string{"统计"}, Roles: staffRole, Media: mediaCSV},
		"GET /api/v1/stats/report":      {Summary: "年度报告", Tags: []string{"统计"}, Roles: staffRole, Response: data.YearReport{}, Query: map[string]string{"year": "年份"}},

		"GET /api/v1/challenge-lists":                 {Summary: "列出揭榜挂帅榜单", Tags: []string{"揭榜挂帅"}, Response: list[challengeListView]{}},
		"POST /api/v1/challenge-lists":                {Summary: "新建榜单", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: data.ChallengeList{}, Response: challengeListView{}, Status: http.StatusCreated},
		"GET /api/v1/challenge-lists/:id":             {Summary: "读取榜单及其揭榜项目", Tags: []string{"揭榜挂帅"}, Response: challengeListView{}},
		"POST /api/v1/challenge-lists/:id/status":     {Summary: "变更榜单状态", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: listStatusBody{}, Response: challengeListView{}},
		"POST /api/v1/challenge-lists/:id/challenges": {Summary: "在榜单中新建揭榜项目", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: data.Challenge{}, Response: data.Challenge{}, Status: http.StatusCreated},

		"POST /api/v1/challenges/:id/applications":  {Summary: "提交揭榜申请", Tags: []string{"揭榜挂帅"}, Roles: anyRole, Body: data.Application{}, Response: data.Application{}, Status: http.StatusCreated},
		"GET /api/v1/challenges/:id/applications":   {Summary: "列出揭榜申请", Tags: []string{"揭榜挂帅"}, Roles: anyRole, Response: list[data.Application]{}},
		"POST /api/v1/challenges/:id/award":         {Summary: "授予揭榜（生成对接与里程碑）", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: awardBody{}, Response: awardAnswer{}},
		"GET /api/v1/challenges/:id/milestones":     {Summary: "揭榜里程碑", Tags: []string{"揭榜挂帅"}, Roles: anyRole, Response: pledgeAnswer{}, Query: map[string]string{"application_id": "授予多个团队时指明申请编号"}},
		"POST /api/v1/challenges/:id/milestones":    {Summary: "标记里程碑", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: milestoneBody{}, Response: pledgeAnswer{}},
		"PUT /api/v1/applications/:id":              {Summary: "修改揭榜申请", Tags: []string{"揭榜挂帅"}, Roles: anyRole, Body: data.Application{}, Response: data.Application{}},
		"POST /api/v1/applications/:id/reviews":     {Summary: "专家评审打分（各项 0–10，加权）", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Body: data.Review{}, Response: reviewAnswer{}, Status: http.StatusCreated},
		"GET /api/v1/challenge-lists/:id/list.xlsx": {Summary: "榜单（Excel）", Tags: []string{"揭榜挂帅"}, Media: mediaXLSX},
		"GET /api/v1/challenge-lists/:id/list.html": {Summary: "榜单（可打印网页）", Tags: []string{"揭榜挂帅"}, Media: mediaHTML},
		"GET /api/v1/challenges/:id/reviews.xlsx":   {Summary: "评审表（Excel）", Tags: []string{"揭榜挂帅"}, Roles: orgRoles, Media: mediaXLSX},

		"POST /api/v1/demands/:id/feedback":      {Summary: "评判需求的候选成果（相关/不相关），下次匹配即用", Tags: []string{"反馈"}, Roles: anyRole, Body: feedbackBody{}, Response: data.Feedback{}, Status: http.StatusCreated},
		"GET /api/v1/demands/:id/feedback":       {Summary: "需求的评判与对接结果", Tags: []string{"反馈"}, Roles: anyRole, Response: feedbackList{}},
		"POST /api/v1/achievements/:id/feedback": {Summary: "评判成果的候选需求（相关/不相关）", Tags: []string{"反馈"}, Roles: anyRole, Body: feedbackBody{}, Response: data.Feedback{}, Status: http.StatusCreated},
		"GET /api/v1/achievements/:id/feedback":  {Summary: "成果的评判与对接结果", Tags: []string{"反馈"}, Roles: anyRole, Response: feedbackList{}},
		"GET /api/v1/matcher":                    {Summary: "匹配权重：启用中的版本与全部版本", Tags: []string{"匹配"}, Response: weightsAnswer{}},
		"PUT /api/v1/matcher":                    {Summary: "启用或回滚权重版本（default 为内置）", Tags: []string{"匹配"}, Roles: adminRole, Body: weightsBody{}, Response: weightsAnswer{}},
	}
	for _, r := range []map[string]apiOp{
		recordRoutes(data.KindAchievement, data.Achievement{}, searchPage[data.Achievement]{}, writtenAchievement{}, "科技成果"),
		recordRoutes(data.KindDemand, data.Demand{}, searchPage[data.Demand]{}, writtenDemand{}, "技术需求"),
	} {
		for k, v := range r {
			m[k] = v
		}
	}
	return m
}()

// openapiRoutes serves the description of the API.
func (s *Server) openapiRoutes(r *gin.Engine) {
	r.GET("/openapi.json", func(c *gin.Context) {
		b, err := OpenAPIJSON()
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	})
	s.docsRoutes(r)
}

var openapiOnce = sync.OnceValues(func() ([]byte, error) {
	var examples map[string]recorded
	if err := json.Unmarshal(recordedJSON, &examples); err != nil {
		return nil, fmt.Errorf("read openapi_examples.json: %w", err)
	}
	doc, errs := buildOpenAPI(apiRoutes, examples)
	if len(errs) > 0 {
		return nil, fmt.Errorf("describe api: %s", strings.Join(errs, "; "))
	}
	return json.MarshalIndent(doc, "", "  ")
})

// OpenAPIJSON is the OpenAPI 3.1 document of the API, as served at /openapi.json.
func OpenAPIJSON() ([]byte, error) { return openapiOnce() }

// ginPath turns /a/:id into /a/{id} and returns the parameter names.
func ginPath(p string) (string, []string) {
	parts := strings.Split(p, "/")
	var params []string
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			params = append(params, s[1:])
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/"), params
}

func jsonContent(s *openapi3.SchemaRef, example any) openapi3.Content {
	mt := &openapi3.MediaType{Schema: s}
	if example != nil {
		mt.Example = example
	}
	return openapi3.Content{"application/json": mt}
}

// buildOpenAPI builds the document from the table and the recorded
// examples; errs names what could not be described.
func buildOpenAPI(ops map[string]apiOp, examples map[string]recorded) (*openapi3.T, []string) {
	g := newSchemaGen()
	in := g.inputs()
	errRef := g.body(errorResponse{})
	codeNames := make([]string, 0, len(codes))
	for c := range codes {
		codeNames = append(codeNames, c)
	}
	sort.Strings(codeNames)
	var table strings.Builder
	table.WriteString("错误码与 HTTP 状态：")
	enum := make([]any, 0, len(codeNames))
	statusOf := map[string]any{}
	for _, c := range codeNames {
		fmt.Fprintf(&table, " %s→%d", c, codes[c])
		enum = append(enum, c)
		statusOf[c] = codes[c]
	}
	g.comps["ErrorCode"] = inline(&openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: enum, Description: table.String(),
		Extensions: map[string]any{"x-http-status": statusOf}})
	if eb := g.comps["errorBody"]; eb != nil {
		eb.Value.Properties["code"] = &openapi3.SchemaRef{Ref: "#/components/schemas/ErrorCode"}
	}
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info: &openapi3.Info{Title: "techmatch API", Version: "1",
			Description: "吉林省科技成果与技术需求对接服务的 JSON 接口。出错时一律返回 {\"error\":{\"code\",\"message\",\"fields\"}}，message 为中文。" +
				"每个回答都带 X-Request-Id。" + table.String()},
		Servers: openapi3.Servers{{URL: "/"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: g.comps,
			SecuritySchemes: openapi3.SecuritySchemes{"bearer": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
				Type: "http", Scheme: "bearer", Description: "techmatch token create 发放的令牌：Authorization: Bearer …"}}},
			Headers:    headerComponents(),
			Parameters: openapi3.ParametersMap{"IfMatch": &openapi3.ParameterRef{Value: ifMatchParam()}},
			Responses:  errorResponses(errRef),
		},
	}
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		op := ops[key]
		method, route, ok := strings.Cut(key, " ")
		if !ok {
			g.errs = append(g.errs, fmt.Sprintf("key %q is not \"METHOD /path\"", key))
			continue
		}
		ex, hasEx := examples[key]
		path, params := ginPath(route)
		o := &openapi3.Operation{Summary: op.Summary, Tags: op.Tags, OperationID: operationID(method, route),
			Responses: openapi3.NewResponses()}
		o.Responses.Delete("default")
		for _, p := range params {
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(p).
				WithSchema(openapi3.NewStringSchema())})
		}
		qs := make([]string, 0, len(op.Query))
		for q := range op.Query {
			qs = append(qs, q)
		}
		sort.Strings(qs)
		for _, q := range qs {
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter(q).
				WithDescription(op.Query[q]).WithSchema(openapi3.NewStringSchema())})
		}
		if op.IfMatch {
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/IfMatch"})
		}
		if op.Roles != nil {
			roles := make([]string, len(op.Roles))
			for i, r := range op.Roles {
				roles[i] = string(r)
			}
			o.Security = &openapi3.SecurityRequirements{{"bearer": {}}}
			o.Description = "需要令牌，角色：" + strings.Join(roles, "、")
			o.Extensions = map[string]any{"x-roles": roles}
		}
		if op.Body != nil {
			var example any = op.BodyExample
			if hasEx && ex.Request != nil {
				example = ex.Request
			}
			o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
				WithContent(jsonContent(in.body(op.Body), example))}
		}
		status := op.Status
		if status == 0 {
			status = http.StatusOK
		}
		statuses := append([]int{status}, op.Also...)
		for _, st := range statuses {
			resp := openapi3.NewResponse().WithDescription(http.StatusText(st))
			resp.Headers = openapi3.Headers{"X-Request-Id": headerRef("X-Request-Id")}
			if st == http.StatusServiceUnavailable {
				resp.Headers["Retry-After"] = headerRef("Retry-After")
			}
			var example any
			if st == status {
				example = op.Example
			}
			if hasEx && ex.Status == st {
				switch {
				case ex.Response != nil:
					example = ex.Response
				case ex.Text != "":
					example = ex.Text
				}
				for _, h := range describedHeaders {
					if v, ok := ex.Headers[h]; ok {
						resp.Headers[h] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
							Description: headerDocs[h].doc, Schema: headerDocs[h].schema(), Example: v}}}
					}
				}
			}
			switch {
			case op.Response != nil:
				resp.WithContent(jsonContent(g.body(op.Response), example))
			case op.Media == mediaXLSX:
				resp.WithContent(openapi3.Content{op.Media: &openapi3.MediaType{Schema: inline(&openapi3.Schema{
					Type: &openapi3.Types{"string"}, Format: "binary"})}})
			case op.Media != "":
				resp.WithContent(openapi3.Content{op.Media: &openapi3.MediaType{Schema: inline(&openapi3.Schema{
					Type: &openapi3.Types{"string"}}), Example: example}})
			}
			o.AddResponse(st, resp)
		}
		for _, e := range errorsOf(op, len(params) > 0, method) {
			o.Responses.Set(strconv.Itoa(e.status), &openapi3.ResponseRef{Ref: "#/components/responses/" + e.name})
		}
		o.Responses.Set("default", &openapi3.ResponseRef{Ref: "#/components/responses/Error"})
		doc.AddOperation(path, method, o)
	}
	for key := range examples {
		if _, ok := ops[key]; !ok {
			g.errs = append(g.errs, fmt.Sprintf("openapi_examples.json has %s, which apiRoutes does not describe", key))
		}
	}
	return doc, append(g.errs, in.errs...)
}

func operationID(method, route string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.FieldsFunc(route, func(r rune) bool { return r == '/' || r == '.' || r == '-' || r == ':' }) {
		if part == "api" || part == "v1" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
