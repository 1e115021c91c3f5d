"""Pages of the programmes app: ``money`` (dashboard and export), ``activities`` (works, support,
revolving funds), ``programmes`` (the trees and a province's own programme)."""
