#!/usr/bin/env python3
"""Where the analyzers' time goes, from a dotnet-trace sample of the profile command.

    dotnet tool install --tool-path /tmp/tools dotnet-trace
    /tmp/tools/dotnet-trace collect --profile dotnet-common,dotnet-sampled-thread-time --format Speedscope \
        -o /tmp/analyzers.nettrace -- dotnet tests/AllocAnalyzers.AnalyzerBenchmarks/bin/Release/net10.0/AllocAnalyzers.AnalyzerBenchmarks.dll \
        profile --lines 50000 --runs 3 --only "all AllocAnalyzers"
    python3 tests/AllocAnalyzers.AnalyzerBenchmarks/trace-summary.py /tmp/analyzers.speedscope.json [N]

Prints, in sampled milliseconds over the whole trace (the warm-up run included): the time with an AllocAnalyzers frame
on the stack, the N most expensive AllocAnalyzers methods (inclusive), and the N most expensive calls out of them
(the innermost AllocAnalyzers frame and the two frames it called), which is where the compiler's own work shows.
"""
import collections
import json
import sys


def short(name):
    return name.split('(')[0].split('!')[-1]


def main(path, top):
    trace = json.load(open(path))
    frames = [f['name'] for f in trace['shared']['frames']]
    ours = [n.startswith('AllocAnalyzers!') for n in frames]
    inclusive, calls, total = collections.Counter(), collections.Counter(), 0.0
    for profile in trace['profiles']:
        if profile['type'] != 'evented':
            continue
        stack, last = [], profile['startValue']
        for event in profile['events']:
            elapsed = event['at'] - last
            if elapsed > 0 and stack:
                positions = [i for i, f in enumerate(stack) if ours[f]]
                if positions:
                    total += elapsed
                    for frame in {stack[i] for i in positions}:
                        inclusive[short(frames[frame])] += elapsed
                    inner = positions[-1]
                    calls[' -> '.join(short(frames[f]) for f in stack[inner:inner + 3])] += elapsed
            last = event['at']
            if event['type'] == 'O':
                stack.append(event['frame'])
            elif stack:
                stack.pop()
    print(f'{total:8.0f} ms with an AllocAnalyzers frame on the stack')
    print('--- AllocAnalyzers methods, inclusive')
    for name, ms in inclusive.most_common(top):
        print(f'{ms:8.0f} {name}')
    print('--- calls out of AllocAnalyzers')
    for name, ms in calls.most_common(top):
        print(f'{ms:8.0f} {name}')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25)
