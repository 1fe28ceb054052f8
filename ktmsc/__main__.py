import sys

from ktmsc.cli import main

sys.exit(main())
