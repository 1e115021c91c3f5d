"""The programmes app over the API: programmes and money, works, support and revolving funds,
provincial programmes. Each module is thin: parse, call a service or selector, return."""

from ninja import Router

from vungcao.programs.api import activities, money, programmes

router = Router()
router.add_router("/", money.router)
router.add_router("/", activities.router)
router.add_router("/", programmes.router)
