"""Coordinate systems: .prj reading, stated CRS, zone prefix, the area zone from data."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.crs import (
    area_crs_for,
    epsg_from_definition,
    plain_code,
    prefixed_code,
    project,
)
from fazhi.monitoring.gis.read import inspect, read
from tests.monitoring.data.builders import X0, boxes, shapefile

ESRI_CM114 = (
    'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",'
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def test_the_zone_codes_follow_the_epsg_numbering():
    assert prefixed_code(38) == 4526 and plain_code(38) == 4547
    assert prefixed_code(25) == 4513 and plain_code(45) == 4554


def test_an_esri_prj_is_recognised():
    assert epsg_from_definition(ESRI_CM114) == 4547
    assert epsg_from_definition(ESRI_CM114.replace("500000.0", "38500000.0")) == 4526


def test_a_missing_prj_is_refused_naming_the_file(tmp_path):
    path = shapefile(tmp_path, "无坐标", boxes(2), {"TBBH": ["A", "B"]}, prj=False)
    with pytest.raises(GisError) as caught:
        read(path)
    assert "无坐标.prj" in str(caught.value) and "EPSG:4547" in str(caught.value)
    assert inspect(path).crs_problem is not None


def test_a_stated_crs_is_accepted_when_the_prj_is_missing(tmp_path):
    path = shapefile(tmp_path, "noprj", boxes(2), {"TBBH": ["A", "B"]}, prj=False)
    assert read(path, crs="EPSG:4547").crs == 4547
    assert read(path, crs="4547").crs == 4547


def test_a_crs_outside_cgcs2000_is_refused(tmp_path):
    path = shapefile(tmp_path, "noprj", boxes(2), {"TBBH": ["A", "B"]}, prj=False)
    with pytest.raises(GisError, match="不支持坐标系 EPSG:2383"):
        read(path, crs="EPSG:2383")


def test_x_with_a_zone_prefix_under_a_no_prefix_code_suggests_the_prefixed_code(
    tmp_path,
):
    geoms = boxes(2, x0=38_000_000 + X0)
    path = shapefile(tmp_path, "prefixed", geoms, {"TBBH": ["A", "B"]}, epsg=4547)
    with pytest.raises(GisError, match=r"含带号 38.*EPSG:4526"):
        read(path)
    assert read(path, crs="EPSG:4526").crs == 4526


def test_x_without_prefix_under_a_prefixed_code_suggests_the_plain_code(tmp_path):
    path = shapefile(tmp_path, "plain", boxes(2), {"TBBH": ["A", "B"]}, epsg=4526)
    with pytest.raises(GisError, match=r"不含带号.*EPSG:4547"):
        read(path)


def test_degrees_under_a_projected_code_are_refused(tmp_path):
    geoms = np.array([shapely.box(112.9, 27.8, 112.91, 27.81)])
    path = shapefile(tmp_path, "deg", geoms, {"TBBH": ["A"]}, epsg=4547)
    with pytest.raises(GisError, match=r"像经纬度.*EPSG:4490"):
        read(path)


def test_metres_under_a_geographic_code_are_refused(tmp_path):
    path = shapefile(tmp_path, "m", boxes(1), {"TBBH": ["A"]}, epsg=4490)
    with pytest.raises(GisError, match="不在中国经纬度范围内"):
        read(path)


def test_geographic_data_get_the_zone_of_their_own_longitude():
    xiangtan = np.array([shapely.box(112.8, 27.8, 112.9, 27.9)])
    kashgar = np.array([shapely.box(75.9, 39.4, 76.0, 39.5)])
    assert area_crs_for(xiangtan, 4490) == 4547  # round(112.85 / 3) = 38, CM 114°E
    assert area_crs_for(kashgar, 4490) == plain_code(25)  # CM 75°E
    assert area_crs_for(boxes(1), 4526) == 4526  # projected data stay in their zone


def test_a_square_projected_from_degrees_has_its_area_in_square_metres():
    deg = np.array([shapely.box(112.9, 27.8, 112.901, 27.801)])
    projected = project(deg, 4490)
    assert projected.epsg == 4547
    # about 98.4 m × 110.9 m at 27.8°N
    assert projected.areas_m2()[0] == pytest.approx(98.4 * 110.9, rel=0.01)


def test_geographic_input_is_read_and_overlaid_in_its_zone(tmp_path):
    path = shapefile(
        tmp_path,
        "geo",
        np.array([shapely.box(112.9, 27.8, 112.901, 27.801)]),
        {"TBBH": ["A"]},
        epsg=4490,
    )
    data = read(path)
    assert data.crs == 4490 and area_crs_for(data.geoms, data.crs) == 4547
