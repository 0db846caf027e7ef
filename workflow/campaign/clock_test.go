package campaign_test

import (
	"testing"
	"time"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func TestLocation(t *testing.T) {
	loc := shanghai(t)
	if _, off := time.Date(2022, 7, 1, 0, 0, 0, 0, loc).Zone(); off != 8*3600 {
		t.Errorf("Shanghai offset %d", off)
	}
	if _, err := campaign.Location("Mars/Olympus_Mons"); err == nil {
		t.Error("an unknown zone must be an error")
	}
	if l, err := campaign.Location("Europe/Berlin"); err != nil || l.String() != "Europe/Berlin" {
		t.Errorf("configured zone: %v %v", l, err)
	}
}

// The list deadline 07-31 is the end of that day in Shanghai: 16:00 UTC.
func TestShanghaiDayBoundary(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	rec, _ := c.Phase(campaign.PhaseRecommend)
	lastMoment := time.Date(2022, 7, 31, 15, 59, 59, 0, time.UTC) // 23:59:59 in Shanghai
	closed := time.Date(2022, 7, 31, 16, 0, 0, 0, time.UTC)       // 08-01 00:00 in Shanghai

	if got := rec.End(loc); !got.Equal(closed) {
		t.Fatalf("recommend ends %s, want %s", got, closed)
	}
	if got := rec.Start(loc); !got.Equal(time.Date(2022, 6, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("recommend starts %s", got)
	}
	tests := []struct {
		at       time.Time
		phase    campaign.PhaseKey // "" for none
		intake   workflow.Intake
		daysLeft int // of recommend
	}{
		{time.Date(2022, 4, 30, 15, 59, 59, 0, time.UTC), "", workflow.IntakeCampaign, 93},
		{time.Date(2022, 4, 30, 16, 0, 0, 0, time.UTC), campaign.PhaseReport, workflow.IntakeCampaign, 92},
		{time.Date(2022, 6, 30, 15, 59, 59, 0, time.UTC), campaign.PhaseReport, workflow.IntakeCampaign, 32},
		{time.Date(2022, 6, 30, 16, 0, 0, 0, time.UTC), campaign.PhaseRecommend, workflow.IntakeCampaign, 31},
		{time.Date(2022, 7, 18, 0, 0, 0, 0, loc), campaign.PhaseRecommend, workflow.IntakeCampaign, 14},
		{time.Date(2022, 7, 31, 0, 0, 0, 0, loc), campaign.PhaseRecommend, workflow.IntakeCampaign, 1},
		{time.Date(2022, 7, 31, 12, 0, 0, 0, time.UTC), campaign.PhaseRecommend, workflow.IntakeCampaign, 1},
		{lastMoment, campaign.PhaseRecommend, workflow.IntakeCampaign, 1},
		{closed, campaign.PhaseEvaluate, workflow.IntakeRegular, 0},
		{time.Date(2022, 8, 31, 15, 59, 59, 0, time.UTC), campaign.PhaseEvaluate, workflow.IntakeRegular, -30},
		{time.Date(2022, 8, 31, 16, 0, 0, 0, time.UTC), "", workflow.IntakeRegular, -31},
		{time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), "", workflow.IntakeRegular, -212},
	}
	for _, tt := range tests {
		p, ok := c.PhaseAt(tt.at, loc)
		if ok != (tt.phase != "") || p.Key != tt.phase {
			t.Errorf("PhaseAt(%s) = %q %v, want %q", tt.at.In(loc), p.Key, ok, tt.phase)
		}
		if got := c.Intake(tt.at, loc); got != tt.intake {
			t.Errorf("Intake(%s) = %s, want %s", tt.at.In(loc), got, tt.intake)
		}
		if got := rec.DaysLeft(tt.at, loc); got != tt.daysLeft {
			t.Errorf("DaysLeft(%s) = %d, want %d", tt.at.In(loc), got, tt.daysLeft)
		}
	}
}

// The same instant is a different day in another configured zone.
func TestConfigurableZone(t *testing.T) {
	berlin, err := campaign.Location("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	c := campaign.Default(2022)
	at := time.Date(2022, 7, 31, 20, 0, 0, 0, time.UTC) // 08-01 04:00 in Shanghai, 22:00 in Berlin
	if got := c.Intake(at, shanghai(t)); got != workflow.IntakeRegular {
		t.Errorf("Shanghai intake %s", got)
	}
	if got := c.Intake(at, berlin); got != workflow.IntakeCampaign {
		t.Errorf("Berlin intake %s", got)
	}
}

func TestGapBetweenPhases(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	c.Phases[1].StartsOn = day(2022, 7, 5)
	if _, ok := c.PhaseAt(time.Date(2022, 7, 3, 12, 0, 0, 0, loc), loc); ok {
		t.Error("a day between phases is in no phase")
	}
}

func TestDaysBetween(t *testing.T) {
	tests := []struct {
		a, b workflow.Date
		want int
	}{
		{day(2022, 1, 31), day(2022, 3, 2), 30},
		{day(2024, 1, 31), day(2024, 3, 1), 30}, // leap year
		{day(2022, 7, 31), day(2022, 7, 1), -30},
		{day(2022, 12, 31), day(2023, 1, 1), 1},
		{day(2022, 5, 1), day(2022, 5, 1), 0},
	}
	for _, tt := range tests {
		if got := campaign.DaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("DaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
