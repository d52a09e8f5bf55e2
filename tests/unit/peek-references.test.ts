// Every `-peek` case recorded from go tool pprof (scripts/make-references.sh) must be
// reproduced line for line by our CLI parser + engine, headers and edge marks included.
import { describeReferenceCases } from './engine-references.js';

process.env.TZ = 'UTC';
describeReferenceCases('peek', 100);
