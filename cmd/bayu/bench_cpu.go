package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSample is what the machine and this process had spent at one instant, so a
// run can say where the cores went: a transition's cost is the machine's busy
// time over the transitions made, and the process's share of it is bayu's own.
type cpuSample struct {
	at      time.Time
	busy    float64 // seconds of all cores not idle, not waiting for I/O, not stolen
	steal   float64 // seconds the hypervisor gave to other machines
	process float64 // seconds this process ran, user and system
	ok      bool    // /proc/stat was readable (Linux)
}

// clockTicks is USER_HZ, the unit of /proc/stat; 100 on every Linux port Go runs on.
const clockTicks = 100

func sampleCPU() cpuSample {
	s := cpuSample{at: time.Now()}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.process = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	f, err := os.Open("/proc/stat")
	if err != nil {
		return s
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && err != io.EOF {
		return s
	}
	// cpu user nice system idle iowait irq softirq steal ...
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return s
	}
	var t [8]float64
	for i := range t {
		v, err := strconv.ParseFloat(fields[i+1], 64)
		if err != nil {
			return s
		}
		t[i] = v / clockTicks
	}
	s.busy = t[0] + t[1] + t[2] + t[5] + t[6]
	s.steal = t[7]
	s.ok = true
	return s
}

// cpuUse is the difference of two samples.
type cpuUse struct {
	wall, busy, steal, process float64
	ok                         bool
}

func (a cpuSample) until(b cpuSample) cpuUse {
	return cpuUse{wall: b.at.Sub(a.at).Seconds(), busy: b.busy - a.busy, steal: b.steal - a.steal,
		process: b.process - a.process, ok: a.ok && b.ok}
}

// print says how many cores were busy and what one transition cost.
func (u cpuUse) print(w io.Writer, transitions int) {
	if !u.ok || u.wall <= 0 || transitions == 0 {
		return
	}
	n := float64(transitions)
	fmt.Fprintf(w, "cpu busy=%.2f cores steal=%.2f cores bayu=%.2f cores\n", u.busy/u.wall, u.steal/u.wall, u.process/u.wall)
	fmt.Fprintf(w, "cpu per transition machine=%.0fus bayu=%.0fus\n", 1e6*u.busy/n, 1e6*u.process/n)
}
