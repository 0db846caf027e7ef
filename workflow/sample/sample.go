// Package sample makes valid exhibits and commands: the demo seeds its campaign
// with them and tests use them to walk exhibits to any state through real events.
package sample

import (
	"encoding/json"
	"fmt"
	"time"

	"bayu/workflow"
)

// Fields returns complete form fields for item n of a unit, collected by method m.
func Fields(n int, m workflow.Method) workflow.Fields {
	kinds := []struct {
		name, category, region, era string
		content                     workflow.ContentType
	}{
		{"世赛金牌", "奖牌", "俄罗斯", "2019", workflow.Competition},
		{"蜀绣《山城夜景》", "刺绣", "重庆", "2021", workflow.CraftWork},
		{"老式车床", "设备", "重庆", "1950年代", workflow.ProductionEquipment},
		{"技工学校毕业证书", "文献", "重庆", "民国", workflow.Historical},
		{"荣昌夏布", "织物", "荣昌", "2018", workflow.CraftWork},
		{"数控铣削比赛作品", "竞赛作品", "重庆", "2022", workflow.Competition},
	}
	k := kinds[n%len(kinds)]
	valuation := int64(1000 * (n%20 + 1))
	weight := 0.5 + float64(n%7)
	return workflow.Fields{
		Name:              fmt.Sprintf("%s %d号", k.name, n+1),
		Category:          k.category,
		ContentType:       k.content,
		Region:            k.region,
		ValuationCNY:      &valuation,
		ValuationText:     fmt.Sprintf("%d元", valuation),
		Description:       fmt.Sprintf("%s，展示巴渝工匠的精湛技艺（样例 %d）", k.name, n+1),
		EraType:           "制造年代",
		Era:               k.era,
		SizeCM:            fmt.Sprintf("%d×%d×%d", 10+n%30, 10+n%20, 5+n%5),
		WeightKG:          &weight,
		Quantity:          1 + n%3,
		Method:            m,
		SourceUnit:        "重庆市技师学院",
		ContactName:       "张工",
		ContactPhone:      fmt.Sprintf("139%08d", 10000000+n),
		StorageConditions: "干燥",
	}
}

// Actor returns an actor allowed to fire ev on an exhibit of the given unit.
func Actor(ev workflow.Event, district string) workflow.Actor {
	switch ev {
	case workflow.Evaluate:
		return workflow.Actor{UserID: 0, Name: "sample-evaluator", Role: workflow.Evaluator}
	case workflow.Recommend, workflow.Decline:
		return workflow.Actor{Name: "sample-district", Role: workflow.District, District: district}
	}
	return workflow.Actor{Name: "sample-coordinator", Role: workflow.Coordinator}
}

// Command returns a command that the guards of ev accept for x at instant at.
func Command(x *workflow.Exhibit, ev workflow.Event, a workflow.Actor, at time.Time) workflow.Command {
	day := workflow.DateOf(at)
	data := map[string]any{}
	reason := ""
	switch ev {
	case workflow.Decline, workflow.Reject, workflow.Withdraw, workflow.Reconsider:
		reason = "样例原因：" + ev.Label().ZH
	case workflow.Evaluate:
		data = map[string]any{"score": 88, "authentic": true, "no_classified": true, "no_infringement": true, "comment": "技艺精湛，资料齐全"}
	case workflow.SignAgreement:
		data = map[string]any{"signed_on": day, "parties": "重庆市公共实训中心；" + x.SourceUnit}
		switch x.Method {
		case workflow.Deposit:
			data["return_due"] = day.AddDays(365)
		case workflow.Replication:
			data["original_return_due"] = day.AddDays(60)
		case workflow.Consignment:
			data["asking_price_cny"] = 12000
			data["term_end"] = day.AddDays(180)
		}
	case workflow.Store:
		data = map[string]any{"location": "实训中心库房 A-01"}
	case workflow.CompleteReplication:
		data = map[string]any{"original_returned_on": day, "location": "实训中心库房 B-02"}
	case workflow.Display:
		data = map[string]any{"venue": "世界技能博物馆", "from": day, "until": day.AddDays(30)}
	case workflow.Return:
		data = map[string]any{"returned_on": day, "receipt": "回执 2026-001"}
	case workflow.Sell:
		data = map[string]any{"price_cny": 11000, "sold_on": day}
	}
	return workflow.Command{Event: ev, Reason: reason, Data: Raw(data), Actor: a, At: at}
}

// Raw encodes event data the way a client sends it.
func Raw(data map[string]any) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(data))
	for k, v := range data {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		out[k] = b
	}
	return out
}

// Path returns the events that take an exhibit collected by m from mobilized to
// target, or false when no such path exists for that method.
func Path(m workflow.Method, target workflow.State) ([]workflow.Event, bool) {
	type node struct {
		s    workflow.State
		path []workflow.Event
	}
	seen := map[workflow.State]bool{workflow.Mobilized: true}
	queue := []node{{s: workflow.Mobilized}}
	probe := &workflow.Exhibit{Fields: workflow.Fields{Method: m}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n.s == target {
			return n.path, true
		}
		for _, t := range workflow.Table() {
			if !contains(t.From, n.s) || seen[t.To] || !workflow.MethodAllows(probe, t.Event) {
				continue
			}
			seen[t.To] = true
			queue = append(queue, node{s: t.To, path: append(append([]workflow.Event{}, n.path...), t.Event)})
		}
	}
	return nil, false
}

func contains(states []workflow.State, s workflow.State) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}
