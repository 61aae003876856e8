import sys

from ipemu.cli import main

sys.exit(main())
