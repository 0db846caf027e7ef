package workflow

import "sort"

// Role is the kind of user acting.
type Role string

// The four roles of PRODUCT.md "Users".
const (
	Coordinator Role = "coordinator"
	District    Role = "district"
	Evaluator   Role = "evaluator"
	Auditor     Role = "auditor"
)

// Public is the role of a holder offering an item through the public form
// (/submit): no user, no login, allowed only to create and report an item.
// It is not in Roles, so no user can be given it.
const Public Role = "public"

// Roles lists every role, in a stable order.
var Roles = []Role{Coordinator, District, Evaluator, Auditor}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// Actor is who asks for something: the user behind the request.
type Actor struct {
	UserID   int64
	Name     string
	Role     Role
	District string // the unit code; only for the district role
}

// System is the actor of scheduled jobs and seeds.
var System = Actor{Name: "system", Role: Coordinator}

// CanView reports whether the actor may see this exhibit at all. An exhibit
// the actor may not see is reported as not found, so its existence does not leak.
func (a Actor) CanView(x *Exhibit) bool {
	switch a.Role {
	case Coordinator, Auditor:
		return true
	case District:
		return x.District == a.District
	case Evaluator:
		return evaluatorSees[x.State]
	}
	return false
}

// evaluatorSees lists the states an evaluator may read: from district_recommended on.
var evaluatorSees = map[State]bool{
	DistrictRecommended: true, Evaluated: true, Accepted: true, Rejected: true,
	AgreementSigned: true, Replicating: true, Stored: true, OnDisplay: true,
	Returned: true, Sold: true,
}

// CanEdit reports whether the actor may change the exhibit's form fields now.
func (a Actor) CanEdit(x *Exhibit) error {
	switch {
	case a.Role == Coordinator:
	case a.Role == District && a.District == x.District:
	default:
		return Errorf(CodeForbidden, "无权修改该展品", "you may not edit this exhibit")
	}
	if x.State != Mobilized && x.State != Reported {
		return &Error{Code: CodeInvalidTransition,
			Message: T("展品当前状态为“"+x.State.Label().ZH+"”，只有动员摸排或已报送时可以修改",
				"the exhibit is "+string(x.State)+"; fields can be edited only while mobilized or reported")}
	}
	return nil
}

// CanCreateIn reports whether the actor may create exhibits for a unit.
func (a Actor) CanCreateIn(district string) error {
	switch {
	case a.Role == Coordinator:
		return nil
	case a.Role == District && a.District == district:
		return nil
	case a.Role == Public:
		return nil
	case a.Role == District:
		return &Error{Code: CodeInvalid, Message: T("只能为本单位创建展品", "you may create exhibits only for your own unit"),
			Fields: map[string]Text{"district": T("不是本单位的代码 "+a.District, "is not your unit "+a.District)}}
	}
	return Errorf(CodeForbidden, "该角色不能创建展品", "this role may not create exhibits")
}

// CanSeePhone reports whether the actor may read the holder's phone number unmasked.
func (a Actor) CanSeePhone(x *Exhibit) bool {
	return a.Role == Coordinator || (a.Role == District && a.District == x.District)
}

// mayFire is the role rule of each event. District users act only on their own unit's
// exhibits; coordinators may fire everything but evaluate, which is the evaluators'.
func mayFire(a Actor, x *Exhibit, ev Event) error {
	switch a.Role {
	case Coordinator:
		if ev != Evaluate {
			return nil
		}
	case Evaluator:
		if ev == Evaluate {
			return nil
		}
	case Public:
		if ev == Report {
			return nil
		}
	case District:
		if districtEvents[ev] {
			if a.District != x.District {
				return Errorf(CodeForbidden, "只能处理本单位的展品", "you may act only on your own unit's exhibits")
			}
			return nil
		}
	}
	return &Error{Code: CodeForbidden,
		Message: T("角色“"+roleNames[a.Role].ZH+"”不能执行“"+ev.Label().ZH+"”",
			"role "+string(a.Role)+" may not fire "+string(ev))}
}

var districtEvents = map[Event]bool{Report: true, Recommend: true, Decline: true, Reconsider: true, Withdraw: true}

var roleNames = map[Role]Text{
	Coordinator: T("市级统筹", "coordinator"),
	District:    T("区县", "district"),
	Evaluator:   T("评估专家", "evaluator"),
	Auditor:     T("审计", "auditor"),
	Public:      T("公众", "public"),
}

// Label is the role's name for people.
func (r Role) Label() Text { return roleNames[r] }

// EvaluatorStates lists, sorted, the states whose exhibits evaluators may read.
func EvaluatorStates() []string {
	out := make([]string, 0, len(evaluatorSees))
	for s := range evaluatorSees {
		out = append(out, string(s))
	}
	sort.Strings(out)
	return out
}
