from structplan.cli import main

raise SystemExit(main())
