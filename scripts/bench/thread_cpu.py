"""CPU seconds per Chromium thread while a browser benchmark runs (not a test: prints lines).

Usage: python3 scripts/bench/thread_cpu.py COMMAND [ARGS...]
  e.g. python3 scripts/bench/thread_cpu.py node e2e/bench/blob-read.js FILE
Samples /proc every 0.1 s for every process whose command line names Chromium and prints, per
(process, thread name), the CPU seconds used, largest first: the browser process's thread pool
and IO thread serve Blob reads, `DedicatedWorker` threads are the page's workers. The sampling
itself costs some CPU, so compare runs taken the same way.
"""
import os, subprocess, sys, time, collections
cmd = sys.argv[1:]
p = subprocess.Popen(cmd)
last = {}
t0=time.time()
while p.poll() is None:
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        try:
            cl = open(f'/proc/{pid}/cmdline','rb').read().split(b'\0')
            if b'chromium' not in cl[0] and b'chrome' not in cl[0]: continue
            ptype = 'browser'
            for a in cl:
                if a.startswith(b'--type='): ptype=a[7:].decode()
            for tid in os.listdir(f'/proc/{pid}/task'):
                s = open(f'/proc/{pid}/task/{tid}/stat').read()
                name = s[s.index('(')+1:s.rindex(')')]
                f = s[s.rindex(')')+2:].split()
                cpu = (int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK')
                last[(pid,tid)] = (ptype,name,cpu)
        except Exception: pass
    time.sleep(0.1)
agg = collections.Counter()
for (pid,tid),(ptype,name,cpu) in last.items():
    agg[(ptype,pid,name)] += cpu
tot=0
for k,v in sorted(agg.items(), key=lambda x:-x[1]):
    tot+=v
    if v>0.05: print(f'{v:7.2f}  {k}')
print('total', round(tot,2), 'wall', round(time.time()-t0,2))
