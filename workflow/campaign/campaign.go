// Package campaign is the calendar of a collection campaign and the rules of
// the reminders it drives: phase deadlines, the list close, the escalation of
// unevaluated items and the return dates of borrowed items.
//
// Everything here is pure: the clock and the time zone are parameters, nothing
// reads time.Now, talks to a database or sends anything. The store keeps due
// work in tables keyed by the stable keys computed here; store/deliver sends it.
package campaign

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"bayu/workflow"
)

// PhaseKey names one phase of a campaign.
type PhaseKey string

// The three phases of the 2022 notice, in the order they run.
const (
	PhaseReport    PhaseKey = "report"    // 动员摸排报送
	PhaseRecommend PhaseKey = "recommend" // 汇总推荐
	PhaseEvaluate  PhaseKey = "evaluate"  // 评估入库签约
)

// PhaseKeys lists the phases in the order a campaign runs them.
var PhaseKeys = []PhaseKey{PhaseReport, PhaseRecommend, PhaseEvaluate}

var phaseNames = map[PhaseKey]workflow.Text{
	PhaseReport:    workflow.T("动员摸排报送", "mobilize and report"),
	PhaseRecommend: workflow.T("汇总推荐", "compile and recommend"),
	PhaseEvaluate:  workflow.T("评估入库签约", "evaluate, store and sign"),
}

// Label is the phase's name for people.
func (k PhaseKey) Label() workflow.Text { return phaseNames[k] }

// Valid reports whether k is one of the three phases.
func (k PhaseKey) Valid() bool { _, ok := phaseNames[k]; return ok }

// DefaultQuota is how many items the notice asks each recommending unit to
// recommend at least (推荐展品不少于20件).
const DefaultQuota = 20

// Phase is one stretch of the campaign, from its first to its last calendar day.
type Phase struct {
	Key      PhaseKey      `json:"key"`
	StartsOn workflow.Date `json:"starts_on"`
	EndsOn   workflow.Date `json:"ends_on"` // the last day, inclusive
}

// Campaign is one year's call for exhibits with its editable calendar.
type Campaign struct {
	ID      int64         `json:"id"`
	Name    string        `json:"name"`
	Year    int           `json:"year"`
	OpensOn workflow.Date `json:"opens_on"` // collection opens (征集开始), inside the report phase
	Phases  []Phase       `json:"phases"`
}

// Default is the calendar of the 2022 notice (渝高技办〔2022〕8号) moved to year:
// report 05-01–06-30 with collection opening 05-10, recommend 07-01–07-31 with
// the lists due on its last day, evaluate 08-01–08-31.
func Default(year int) Campaign {
	d := func(m time.Month, day int) workflow.Date { return workflow.NewDate(year, m, day) }
	return Campaign{
		Name:    fmt.Sprintf("%d年“巴渝工匠”绝技绝活展品征集", year),
		Year:    year,
		OpensOn: d(5, 10),
		Phases: []Phase{
			{Key: PhaseReport, StartsOn: d(5, 1), EndsOn: d(6, 30)},
			{Key: PhaseRecommend, StartsOn: d(7, 1), EndsOn: d(7, 31)},
			{Key: PhaseEvaluate, StartsOn: d(8, 1), EndsOn: d(8, 31)},
		},
	}
}

// Phase returns the phase with the given key; ok is false when the campaign has none.
func (c *Campaign) Phase(key PhaseKey) (p Phase, ok bool) {
	for _, p := range c.Phases {
		if p.Key == key {
			return p, true
		}
	}
	return Phase{}, false
}

// Validate checks the campaign and names every field at fault, so that a
// coordinator editing dates sees all problems at once. The three phases must
// all be present, in the order report, recommend, evaluate, each start on or
// before its end and after the previous one has ended; collection must open
// inside the report phase.
func (c *Campaign) Validate() error {
	fe := workflow.FieldErrors{}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		fe.Add("name", "名称不能为空", "is required")
	case n > 200:
		fe.Add("name", "名称不能超过200字", "must be at most 200 characters")
	}
	if c.Year < 2000 || c.Year > 2100 {
		fe.Add("year", "年份应在2000至2100之间", "must be between 2000 and 2100")
	}
	if len(c.Phases) != len(PhaseKeys) {
		fe.Add("phases", "须包含报送、推荐、评估三个阶段", "must have the phases report, recommend and evaluate")
	}
	for i, p := range c.Phases {
		at := "phases." + strconv.Itoa(i) + "."
		switch {
		case !p.Key.Valid():
			fe.Add(at+"key", "阶段应为 report、recommend 或 evaluate", "must be report, recommend or evaluate")
		case i >= len(PhaseKeys) || p.Key != PhaseKeys[i]:
			fe.Add(at+"key", "阶段顺序应为报送、推荐、评估，且各出现一次", "phases must be report, recommend, evaluate, once each")
		}
		if p.StartsOn.IsZero() {
			fe.Add(at+"starts_on", "开始日期不能为空", "is required")
		}
		if p.EndsOn.IsZero() {
			fe.Add(at+"ends_on", "结束日期不能为空", "is required")
		}
		if p.StartsOn.IsZero() || p.EndsOn.IsZero() {
			continue
		}
		if p.EndsOn.Before(p.StartsOn) {
			fe.Add(at+"ends_on", "结束日期不能早于开始日期", "must not be before starts_on")
		}
		if i > 0 {
			prev := c.Phases[i-1]
			if !prev.EndsOn.IsZero() && !p.StartsOn.After(prev.EndsOn) {
				fe.Add(at+"starts_on", "须晚于上一阶段的结束日期 "+prev.EndsOn.String(),
					"must be after the previous phase ends on "+prev.EndsOn.String())
			}
		}
	}
	if report, ok := c.Phase(PhaseReport); ok && !c.OpensOn.IsZero() && !report.StartsOn.IsZero() && !report.EndsOn.IsZero() {
		if c.OpensOn.Before(report.StartsOn) || c.OpensOn.After(report.EndsOn) {
			fe.Add("opens_on", "征集开始日期须在报送阶段之内", "must fall inside the report phase")
		}
	}
	return fe.Err()
}
