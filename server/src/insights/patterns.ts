// Function-name patterns behind the rules, Go 1.19 through 1.27 (concepts.md section 2,
// Appendix A). Applied to normalised names (generic type arguments stripped).

export const ALLOC_CORE =
  /^runtime\.(mallocgc[A-Za-z0-9]*|newobject|newarray|nextFreeFast|deductAssistCredit|memclrNoHeapPointers(Chunked)?|heapBitsSetType|heapSetType[A-Za-z]*|publicationBarrier|\(\*mspan\)\.(writeHeapBitsSmall|nextFreeIndex|refillAllocCache|initHeapBits)|\(\*mcache\)\.(nextFree|refill|allocLarge)|\(\*mcentral\)\.(cacheSpan|grow|uncacheSpan)|\(\*mheap\)\.(alloc|allocSpan|allocManual|initSpan)(\.func\d+)?)$/;
export const A_GROWSLICE = /^runtime\.growslice(NoAlias|Buf|BufNoAlias)?$/;
/** Map growth only (not plain assignment): old buckets <=1.23, Swiss tables 1.24+. */
export const A_MAP_GROW =
  /^(runtime\.(hashGrow|growWork(_fast32|_fast64|_faststr)?|evacuate(_fast32|_fast64|_faststr)?|makeBucketArray|\(\*hmap\)\.(newoverflow|createOverflow))|internal\/runtime\/maps\.(newTable|newGroups|newarray|\(\*Map\)\.(growToSmall|growToTable|installTableSplit)|\(\*table\)\.(rehash|grow|split)))$/;
export const A_MAP_SWISS = /^internal\/runtime\/maps\./;
export const A_CONCAT = /^runtime\.(concatstrings|concatstring[2-5]|concatbytes|rawstringtmp)$/;
export const A_BOXING =
  /^runtime\.(convT|convTnoptr|convT16|convT32|convT64|convTstring|convTslice|convT2E[A-Za-z0-9]*|convT2I[A-Za-z0-9]*)$/;
export const A_BUILDER = /^(strings\.\(\*Builder\)\.(grow|Grow|Write|WriteString|WriteByte|WriteRune)|internal\/bytealg\.MakeNoZero)$/;
export const A_BUFFER = /^bytes\.(\(\*Buffer\)\.(grow|Grow|Write|WriteString|WriteByte|WriteRune|ReadFrom)|growSlice)$/;
export const A_FMT =
  /^fmt\.(Sprintf|Sprint|Sprintln|Errorf|Fprintf|Fprint|Fprintln|Printf|Println|Appendf|newPrinter|\(\*pp\)\.[A-Za-z]+|\(\*fmt\)\.[A-Za-z]+|\(\*buffer\)\.[A-Za-z]+|init\.func\d+|glob\.\.func\d+)$/;
/** The fmt entry points a user calls. */
export const FMT_ENTRY = /^fmt\.(Sprintf|Sprint|Sprintln|Errorf|Fprintf|Fprint|Fprintln|Printf|Println|Appendf|Append|Appendln)$/;
export const A_STRCONV =
  /^(internal\/)?strconv\.(Itoa|FormatInt|FormatUint|formatBits|small|FormatFloat|genericFtoa|Quote[A-Za-z]*|appendQuotedWith|quoteWith)$/;

// GC (CPU profiles)
export const GC_BG = /^runtime\.gcBgMarkWorker(\.func\d+)?$/;
export const GC_DRAIN = /^runtime\.(gcDrain|gcDrainN|gcDrainMarkWorker(Dedicated|Fractional|Idle))$/;
export const GC_IDLE = /^runtime\.gcDrainMarkWorkerIdle$/;
export const GC_MARK =
  /^(runtime\.(scanobject|scanObject|scanSpan|scanObjectsSmall|scanObjectSmall|spanSetScans|tryDeferToSpanScan|greyobject|scanblock|scanstack|scanframeworker|scanConservative|markroot[A-Za-z]*(\.func\d+)?|findObject|shade|gcmarknewobject|markBits\.[A-Za-z]+|typePointers\.[A-Za-z]+|\(\*mspan\)\.(markBitsForIndex|typePointersOf[A-Za-z]*|inlineMarkBits)|\(\*gcWork\)\.[A-Za-z]+|\(\*gcBits\)\.[A-Za-z]+|heapBitsForAddr|heapBits\.[A-Za-z]+|pageIndexOf|spanOf[A-Za-z]*)|internal\/runtime\/gc\/scan\.[A-Za-z0-9]+)$/;
export const GC_ASSIST = /^runtime\.(gcAssistAlloc1?(\.func\d+)?|gcParkAssist)$/;
export const GC_SWEEP =
  /^runtime\.(bgsweep|sweepone|\(\*sweepLocked\)\.sweep.*|\(\*mspan\)\.sweep|deductSweepCredit|finishsweep_m|\(\*mheap\)\.(nextSpanForSweep|reclaim[A-Za-z]*|freeSpan[A-Za-z]*))$/;
export const GC_WB =
  /^(runtime\.)?(gcWriteBarrier[A-Z0-9]*|wbBufFlush1?(\.func\d+)?|\(\*wbBuf\)\.[A-Za-z0-9]+|bulkBarrierPreWrite[A-Za-z]*|wbMove|wbZero|bulkBarrierBitmap)$/;
export const GC_PHASE =
  /^runtime\.(gcStart|gcMarkDone|gcMarkTermination(\.func\d+)?|stopTheWorldWithSema|startTheWorldWithSema|clearpools|gcResetMarkState|_GC)$/;

export const GC_PARTS: [string, RegExp][] = [
  ['background mark workers', GC_BG],
  ['mark assists', GC_ASSIST],
  ['marking/scanning', GC_DRAIN],
  ['marking/scanning', GC_MARK],
  ['sweeping', GC_SWEEP],
  ['write barriers', GC_WB],
  ['GC phase changes / stop-the-world', GC_PHASE],
];

export const LOCK_CPU =
  /^((internal\/)?sync\.(\(\*Mutex\)\.(Lock|lockSlow|Unlock|unlockSlow|TryLock)|\(\*RWMutex\)\.(RLock|RUnlock|rUnlockSlow|Lock|Unlock)|runtime_(SemacquireMutex|SemacquireRWMutexR?|Semrelease|doSpin|canSpin))|runtime\.(semacquire1|semrelease1|procyield|procyieldAsm|lock2|unlock2|lockWithRank|unlockWithRank|\(\*semaRoot\)\.[A-Za-z]+|readyWithTime))$/;

export const PROF_OVERHEAD =
  /^(runtime\.(mProf_Malloc|profilealloc|stkbucket|blockevent|saveblockevent|mutexevent|fpTracebackPartialExpand)|runtime\/pprof\.|net\/http\/pprof\.)/;
export const INSTRUMENTED = /^(runtime\.(race[a-z]+[A-Za-z0-9]*|checkptr[A-Za-z]+)|__tsan_[a-z_]+|__msan_|__asan_)/;

// Blocking (goroutine / block / mutex profiles)
export const PARK = /^runtime\.(gopark|goparkunlock)$/;
export const MUTEX_UNLOCK = /^(internal\/)?sync\.\(\*(Mutex|RWMutex)\)\.(Unlock|RUnlock|unlockSlow|rUnlockSlow)$/;
export const LOCK_WAIT =
  /^((internal\/)?sync\.\(\*(Mutex|RWMutex)\)\.(Lock|RLock|lockSlow)|(internal\/)?sync\.runtime_SemacquireMutex|sync\.runtime_SemacquireRWMutexR?)$/;
export const RUNTIME_LOCK = /^runtime\.(_LostContendedRuntimeLock|unlock|unlockWithRank|unlock2)$/;
