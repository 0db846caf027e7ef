package workflow

// State is where an exhibit stands in the workflow.
type State string

// The 14 states of PRODUCT.md.
const (
	Mobilized           State = "mobilized"
	Reported            State = "reported"
	DistrictRecommended State = "district_recommended"
	NotRecommended      State = "not_recommended"
	Evaluated           State = "evaluated"
	Accepted            State = "accepted"
	Rejected            State = "rejected"
	AgreementSigned     State = "agreement_signed"
	Replicating         State = "replicating"
	Stored              State = "stored"
	OnDisplay           State = "on_display"
	Returned            State = "returned"
	Sold                State = "sold"
	Withdrawn           State = "withdrawn"
)

// Event is something that moves an exhibit from one state to another.
type Event string

// The 16 events of PRODUCT.md.
const (
	Report              Event = "report"
	Recommend           Event = "recommend"
	Decline             Event = "decline"
	Reconsider          Event = "reconsider"
	Evaluate            Event = "evaluate"
	Accept              Event = "accept"
	Reject              Event = "reject"
	SignAgreement       Event = "sign_agreement"
	StartReplication    Event = "start_replication"
	CompleteReplication Event = "complete_replication"
	Store               Event = "store"
	Display             Event = "display"
	EndDisplay          Event = "end_display"
	Return              Event = "return"
	Sell                Event = "sell"
	Withdraw            Event = "withdraw"
)

// CreateEvent names the history row written when an exhibit is created;
// it is not an FSM event, nothing can fire it.
const CreateEvent Event = "create"

var stateNames = map[State]Text{
	Mobilized:           T("动员摸排", "mobilized"),
	Reported:            T("已报送", "reported"),
	DistrictRecommended: T("区县已推荐", "recommended by district"),
	NotRecommended:      T("区县未推荐", "not recommended"),
	Evaluated:           T("已评估", "evaluated"),
	Accepted:            T("已确定入选", "accepted"),
	Rejected:            T("未入选", "rejected"),
	AgreementSigned:     T("已签协议", "agreement signed"),
	Replicating:         T("复制中", "replicating"),
	Stored:              T("已入库", "stored"),
	OnDisplay:           T("展出中", "on display"),
	Returned:            T("已归还", "returned"),
	Sold:                T("已售出", "sold"),
	Withdrawn:           T("已撤回", "withdrawn"),
}

var eventNames = map[Event]Text{
	Report:              T("报送", "report"),
	Recommend:           T("推荐", "recommend"),
	Decline:             T("不予推荐", "decline"),
	Reconsider:          T("重新考虑", "reconsider"),
	Evaluate:            T("评估", "evaluate"),
	Accept:              T("确定入选", "accept"),
	Reject:              T("不予入选", "reject"),
	SignAgreement:       T("签署协议", "sign agreement"),
	StartReplication:    T("开始复制", "start replication"),
	CompleteReplication: T("完成复制", "complete replication"),
	Store:               T("入库", "store"),
	Display:             T("展出", "display"),
	EndDisplay:          T("结束展出", "end display"),
	Return:              T("归还", "return"),
	Sell:                T("售出", "sell"),
	Withdraw:            T("撤回", "withdraw"),
	CreateEvent:         T("创建", "create"),
	ExtendDeposit:       T("延长寄存期", "extend deposit"),
	Move:                T("移库", "move"),
}

// Label is the state's name for people.
func (s State) Label() Text { return stateNames[s] }

// Label is the event's name for people.
func (e Event) Label() Text { return eventNames[e] }

// Terminal reports whether nothing can happen to an exhibit in this state any more.
func (s State) Terminal() bool {
	return len(AllowedEvents(s)) == 0
}
