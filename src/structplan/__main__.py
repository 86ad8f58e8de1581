from structplan.cli import main

if __name__ == "__main__":  # not again in the worker processes `structplan scenarios` starts
    raise SystemExit(main())
