package plan

// Independent checks of lineups and schedules. They share no code with the
// builders on purpose: tests run them over the builders' output, and the
// server can run them over lineups and schedules edited by hand.

import (
	"fmt"
	"sort"
)

// Rules an Violation can name.
const (
	ViolationUnknown         = "unknown"         // a pick or party that is not registered
	ViolationDuplicatePick   = "duplicate_pick"  // an achievement picked twice
	ViolationTooManyPicks    = "too_many_picks"  // more picks than slots
	ViolationExcluded        = "excluded"        // an excluded achievement picked
	ViolationRecent          = "recent"          // a recently presented achievement picked without AllowRecent or a lock
	ViolationInstitutionCap  = "institution_cap" // too many picks from one institution
	ViolationFieldCap        = "field_cap"       // too many picks of one field
	ViolationLockedMissing   = "locked_missing"  // a locked pick or meeting is not there as locked
	ViolationSlotRange       = "slot_range"      // a meeting outside slots 1..Slots
	ViolationTableRange      = "table_range"     // a meeting outside tables 1..Tables
	ViolationTableClash      = "table_clash"     // two meetings at one table in one slot
	ViolationTableOverflow   = "table_overflow"  // more meetings in a slot than tables
	ViolationDoubleBooked    = "double_booked"   // a party in two meetings in one slot
	ViolationOverMax         = "over_max"        // a party with more meetings than its cap
	ViolationAvoid           = "avoid"           // a meeting of parties that avoid each other
	ViolationRepeatedPair    = "repeated_pair"   // a pair meeting twice
	ViolationSameSideMeeting = "same_side"       // a meeting whose scientist is an enterprise or vice versa
	ViolationBadScore        = "bad_score"       // a meeting score that is not a number in [0,1]
)

// Violation is one broken rule of a lineup or schedule: the rule (one of
// the Violation constants) and a Chinese message naming what breaks it.
type Violation struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func (v Violation) String() string { return v.Rule + ": " + v.Message }

// ValidateLineup checks picks against the candidates and the request's rules
// and returns every broken rule; none means the lineup is valid. Caps do not
// apply to empty institutions or fields. Fewer picks than slots is allowed.
func ValidateLineup(cands []Candidate, req LineupRequest, picks []string) []Violation {
	var out []Violation
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	known := map[string]Candidate{}
	for _, c := range cands {
		known[c.ID] = c
	}
	isLocked, isExcluded := map[string]bool{}, map[string]bool{}
	for _, id := range req.Locked {
		isLocked[id] = true
	}
	for _, id := range req.Excluded {
		isExcluded[id] = true
	}

	if len(picks) > req.Slots {
		add(ViolationTooManyPicks, "排出 %d 项成果，超过 %d 个路演席位", len(picks), req.Slots)
	}
	times := map[string]int{}
	perInst, perField := map[string]int{}, map[string]int{}
	for _, id := range picks {
		times[id]++
		if times[id] == 2 {
			add(ViolationDuplicatePick, "成果 %s 重复入选", id)
		}
		if times[id] > 1 {
			continue
		}
		c, ok := known[id]
		if !ok {
			add(ViolationUnknown, "入选的成果 %s 不在候选名单中", id)
			continue
		}
		if isExcluded[id] {
			add(ViolationExcluded, "成果 %s 已被排除却入选", id)
		}
		if req.Recent[id] && !req.AllowRecent && !isLocked[id] {
			add(ViolationRecent, "成果 %s 近期已参加过路演", id)
		}
		if c.Institution != "" {
			perInst[c.Institution]++
		}
		if c.Field != "" {
			perField[c.Field]++
		}
	}
	if limit := req.MaxPerInstitution; limit > 0 {
		for _, inst := range validateKeys(perInst) {
			if perInst[inst] > limit {
				add(ViolationInstitutionCap, "完成单位“%s”入选 %d 项，超过上限 %d 项", inst, perInst[inst], limit)
			}
		}
	}
	if limit := req.MaxPerField; limit > 0 {
		for _, f := range validateKeys(perField) {
			if perField[f] > limit {
				add(ViolationFieldCap, "技术领域“%s”入选 %d 项，超过上限 %d 项", f, perField[f], limit)
			}
		}
	}
	for _, id := range req.Locked {
		if times[id] == 0 {
			add(ViolationLockedMissing, "锁定的成果 %s 未入选", id)
		}
	}
	return out
}

// ValidateSchedule checks meetings against the registrations and the
// request's rules and returns every broken rule; none means the schedule is
// valid. A party's cap is its MaxMeetings, else req.MaxMeetings, else
// req.Slots.
func ValidateSchedule(scientists, enterprises []Party, req ScheduleRequest, meetings []Meeting) []Violation {
	var out []Violation
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	limitOf := map[string]int{}
	isSci, isEnt := map[string]bool{}, map[string]bool{}
	type pairKey struct{ sci, ent string }
	avoids := map[pairKey]bool{}
	for _, p := range scientists {
		isSci[p.ID] = true
		limitOf[p.ID] = p.MaxMeetings
		for _, o := range p.Avoid {
			avoids[pairKey{p.ID, o}] = true
		}
	}
	for _, p := range enterprises {
		isEnt[p.ID] = true
		limitOf[p.ID] = p.MaxMeetings
		for _, o := range p.Avoid {
			avoids[pairKey{o, p.ID}] = true
		}
	}
	for id, m := range limitOf {
		if m == 0 {
			m = req.MaxMeetings
		}
		if m == 0 || m > req.Slots {
			m = req.Slots
		}
		limitOf[id] = m
	}

	type slotParty struct {
		slot int
		id   string
	}
	type slotTable struct{ slot, table int }
	busy := map[slotParty]int{}
	atTable := map[slotTable]int{}
	perSlot := map[int]int{}
	total := map[string]int{}
	met := map[pairKey]int{}
	for _, m := range meetings {
		where := fmt.Sprintf("第 %d 时段 %s–%s", m.Slot, m.Scientist, m.Enterprise)
		if m.Slot < 1 || m.Slot > req.Slots {
			add(ViolationSlotRange, "%s：时段超出范围 1–%d", where, req.Slots)
		}
		if m.Table < 1 || m.Table > req.Tables {
			add(ViolationTableRange, "%s：桌号 %d 超出范围 1–%d", where, m.Table, req.Tables)
		}
		if !(m.Score >= 0 && m.Score <= 1) {
			add(ViolationBadScore, "%s：匹配分 %v 不在 0 到 1 之间", where, m.Score)
		}
		switch {
		case !isSci[m.Scientist] && !isEnt[m.Scientist]:
			add(ViolationUnknown, "%s：科学家 %s 未报名", where, m.Scientist)
		case !isSci[m.Scientist]:
			add(ViolationSameSideMeeting, "%s：%s 不是科学家", where, m.Scientist)
		}
		switch {
		case !isSci[m.Enterprise] && !isEnt[m.Enterprise]:
			add(ViolationUnknown, "%s：企业 %s 未报名", where, m.Enterprise)
		case !isEnt[m.Enterprise]:
			add(ViolationSameSideMeeting, "%s：%s 不是企业", where, m.Enterprise)
		}
		pk := pairKey{m.Scientist, m.Enterprise}
		if avoids[pk] {
			add(ViolationAvoid, "%s：双方中有一方声明了回避", where)
		}
		met[pk]++
		if met[pk] == 2 {
			add(ViolationRepeatedPair, "%s 与 %s 会谈不止一次", m.Scientist, m.Enterprise)
		}
		for _, id := range []string{m.Scientist, m.Enterprise} {
			total[id]++
			busy[slotParty{m.Slot, id}]++
			if busy[slotParty{m.Slot, id}] == 2 {
				add(ViolationDoubleBooked, "%s 在第 %d 时段有多场会谈", id, m.Slot)
			}
		}
		atTable[slotTable{m.Slot, m.Table}]++
		if atTable[slotTable{m.Slot, m.Table}] == 2 {
			add(ViolationTableClash, "第 %d 时段第 %d 桌安排了多场会谈", m.Slot, m.Table)
		}
		perSlot[m.Slot]++
		if perSlot[m.Slot] == req.Tables+1 {
			add(ViolationTableOverflow, "第 %d 时段的会谈超过了 %d 张桌子", m.Slot, req.Tables)
		}
	}
	for _, id := range validateKeys(total) {
		if limit, ok := limitOf[id]; ok && total[id] > limit {
			add(ViolationOverMax, "%s 有 %d 场会谈，超过上限 %d 场", id, total[id], limit)
		}
	}
	for _, l := range req.Locked {
		found := false
		for _, m := range meetings {
			if m.Scientist == l.Scientist && m.Enterprise == l.Enterprise && m.Slot == l.Slot &&
				(l.Table == 0 || m.Table == l.Table) {
				found = true
				break
			}
		}
		if !found {
			add(ViolationLockedMissing, "锁定的会谈（第 %d 时段 %s–%s）不在日程中", l.Slot, l.Scientist, l.Enterprise)
		}
	}
	return out
}

func validateKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
