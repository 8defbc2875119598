"""The seed localities that ship with wushe (示例数据).

Eight places described from public news reports, each a complete :class:`~wushe.models.Dataset`
whose people are fictitious and whose personal identifiers are synthetic:

==============  ============================================================
name            locality
==============  ============================================================
``hubei``       湖北省: the 2022 social-work publicity figures
``jinniu``      成都市金牛区 in 2023: a district hub, 13 streets, 90 rooms
``jiulong``     重庆市九龙坡区九龙街道
``qianfeng``    广安市前锋区
``qixinggang``  重庆市渝中区七星岗街道: one street station and eight rooms
``shanxi``      山西省: the township station pilot and its extension
``wengan``      贵州省瓮安县
``yibin``       四川省宜宾市 and 叙州区's social-organisation incubation centre
==============  ============================================================

Beside them lie the companion files the tutorial and ``wushe demo`` use:
``jinniu_scores.json`` (evaluators' score sheets), ``jinniu_visits.json`` (a year of care
visits), ``policy.yaml`` (a matching policy) and ``rubric_station_review.yaml`` (a rubric).
They are package data, so they are there wherever wushe is installed.

Examples:
    >>> from wushe import examples
    >>> examples.names()
    ('hubei', 'jinniu', 'jiulong', 'qianfeng', 'qixinggang', 'shanxi', 'wengan', 'yibin')
    >>> examples.load("qixinggang").name
    '重庆市渝中区七星岗街道'
    >>> examples.path("jinniu_scores.json").name
    'jinniu_scores.json'
"""

from wushe.examples._files import ExampleNotFoundError, files, load, names, path

__all__ = ["ExampleNotFoundError", "files", "load", "names", "path"]
