package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuReading is how much CPU time this process and the whole machine had used at one moment, so
// that a measurement can tell whether other programs were competing for the cores.
type cpuReading struct {
	at      time.Time
	process time.Duration
	busy    time.Duration // all CPUs, every process; 0 when /proc/stat cannot be read
}

func readCPU() cpuReading {
	r := cpuReading{at: time.Now()}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		r.process = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	r.busy = machineBusy()
	return r
}

// machineBusy reads the CPU time spent outside idle and iowait on all CPUs from /proc/stat.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is already in user
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// cpuUse is the CPU used between two readings, in cores: by this process and by everything.
type cpuUse struct {
	process, machine float64
}

func (r cpuReading) since(before cpuReading) cpuUse {
	wall := r.at.Sub(before.at).Seconds()
	if wall <= 0 {
		return cpuUse{}
	}
	u := cpuUse{process: (r.process - before.process).Seconds() / wall}
	if r.busy > 0 && before.busy > 0 {
		u.machine = (r.busy - before.busy).Seconds() / wall
	}
	return u
}
