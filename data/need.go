package data

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// ProfileWeight is how much a word of a demand's company profile counts,
// next to a word of the statement of the need (1), in the matcher's query
// and in the demand index. A demand for an optical transceiver module by a
// company that also makes 北斗 terminals must find transceivers, not 北斗.
//
// Origin: grid on dev bdci-match (`techmatch eval`, embedded weights):
// profile at full weight (no split) rerank nDCG@10 0.7144, full recall@100
// 0.3511; 0.3 → 0.7157, 0.3472; 0.1 → 0.7163, 0.3466. 0.1 ranks best; the
// recall lost is one demand (肉鸽) whose 工作基础 names its trade.
const ProfileWeight = 0.1

// Headings after which a demand's text describes the company (until a
// heading of the need).
var (
	profileHeadRE = regexp.MustCompile(`^((公司|企业|单位)(简介|概况|介绍|基本情况|情况)|(现有|已有|前期)?(工作|研究|研发|技术)?(基础|条件)|基本情况)\s*([：:]|$)`)
	needHeadRE    = regexp.MustCompile(`^((技术)?需求(内容|描述|说明)?|(需|拟|待|要)解决[^：:]{0,8}|(预期|合作|研发|项目)(目标|内容|方式|要求)|主要(内容|指标|技术指标)|技术(指标|要求|难题|问题)|存在(的)?问题)\s*([：:]|$)`)
	// Facts about the company: founding, size, money, honours.
	profileFactRE = regexp.MustCompile(`成立于|始建于|创建于|组建于|注册(资本|资金)|占地|(职工|员工|从业人员|科研人员|技术人员|工程师)[^，。；]{0,6}\d|\d+\s*(余|多)?\s*(名|人)(，|。|；|、|\s|$)|(年)?(产值|销售收入|营业收入|销售额|利税|利润|营收)|(资产|总资产|资产总额)\s*\d|上缴|荣获|被评为|(被)?认定为|通过[^，。；]{0,20}认证|高新技术企业|是一家|坐落于|位于`)
	profileLeadRE = regexp.MustCompile(`^(公司|本公司|我公司|该公司|企业|本企业|我单位|本单位)`)
	// Words of a need: what is wanted, what is to be solved.
	needWordRE   = regexp.MustCompile(`需求|需要|寻求|希望|拟|急需|亟需|难题|解决|攻克|突破|要求|目标|征集|求购|引进|合作|研制|开发|研发|改进|提高|降低|提升`)
	strongNeedRE = regexp.MustCompile(`需求|寻求|希望|拟|急需|亟需|难题|解决|攻克|要求|目标|征集|求购`)
)

// SplitNeed separates the statement of a demand's need from the parts of
// its text that describe the company (公司简介, 企业概况, 工作基础, 现有条件,
// staff and revenue figures, honours). It works on sentences: a sentence
// under a profile heading, one stating the company's facts without asking
// for anything, or one about the company with no word of a need is profile.
// Both parts keep the text's order; together they hold every sentence.
func SplitNeed(text string) (need, profile string) {
	var nb, pb strings.Builder
	last := &nb
	inProfile := false
	for _, s := range sentences(text) {
		t := strings.TrimSpace(s)
		if t == "" {
			last.WriteString(s) // white space stays with what it follows
			continue
		}
		head := strings.TrimLeft(t, "（(【[0123456789一二三四五六七八九十、.．)）] ")
		switch {
		case needHeadRE.MatchString(head):
			inProfile = false
		case profileHeadRE.MatchString(head):
			inProfile = true
		}
		isProfile := inProfile && !strongNeedRE.MatchString(t) ||
			profileFactRE.MatchString(t) && !strongNeedRE.MatchString(t) ||
			profileLeadRE.MatchString(t) && !needWordRE.MatchString(t)
		last = &nb
		if isProfile {
			last = &pb
		}
		last.WriteString(s)
	}
	return nb.String(), pb.String()
}

// sentences cuts text after each full stop, semicolon, exclamation or
// question mark and line break, and before a heading "xx：" that starts
// a new part; the pieces join back into text.
func sentences(text string) []string {
	var out []string
	start := 0
	for pos := 0; pos < len(text); {
		r, size := utf8.DecodeRuneInString(text[pos:])
		switch r {
		case '。', '；', ';', '！', '!', '？', '?', '\n':
			out = append(out, text[start:pos+size])
			start = pos + size
		case '：', ':':
			// A short heading (工作基础：) ends the sentence before it.
			if j := headStart(text[start:pos]); j > 0 {
				out = append(out, text[start:start+j])
				start += j
			}
		}
		pos += size
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// headStart finds, in the text before a colon, where a heading of two to
// eight characters begins after a comma; 0 if there is none.
func headStart(s string) int {
	i := strings.LastIndexAny(s, "，, ")
	if i < 0 {
		return 0
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	head := s[i+n:]
	if r := utf8.RuneCountInString(head); r < 2 || r > 8 {
		return 0
	}
	if !profileHeadRE.MatchString(head) && !needHeadRE.MatchString(head) {
		return 0
	}
	return i + n
}
