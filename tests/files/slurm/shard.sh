#!/bin/sh
# One array task, standing in for `autograder grade --shard K/N`: writes $SHARDS/shard-K with what
# Slurm told it, its last act. Told to by a file in $SHARDS, it fails (fail-K: exit 3) or hangs (hang-K,
# after writing hanging-K).
set -eu
k=$SLURM_ARRAY_TASK_ID
if [ -e "$SHARDS/fail-$k" ]; then echo "shard $k: told to fail" >&2; exit 3; fi
if [ -e "$SHARDS/hang-$k" ]; then touch "$SHARDS/hanging-$k"; sleep 600; fi
{
    echo "job=$SLURM_JOB_ID array_job=$SLURM_ARRAY_JOB_ID task=$k"
    echo "count=$SLURM_ARRAY_TASK_COUNT min=$SLURM_ARRAY_TASK_MIN max=$SLURM_ARRAY_TASK_MAX"
    echo "ended=$(date +%s.%N)"
} > "$SHARDS/.shard-$k"
mv "$SHARDS/.shard-$k" "$SHARDS/shard-$k"
